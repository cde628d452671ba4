-- Secrets that belong to the data rather than to a node, so they travel with backups. The dice key lives here when
-- the operator sets no dice secret: a restore into a fresh data folder (a new JWT key) keeps the seeds of open periods.
CREATE TABLE server_secrets (
    name  text PRIMARY KEY,
    value text NOT NULL
);
