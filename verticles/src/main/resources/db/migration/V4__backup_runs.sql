-- Every scheduled backup that finished, whichever node took it: nodes read it to take one backup per interval for
-- the whole cluster, and to report the last one.
CREATE TABLE backup_runs (
    taken_at timestamptz NOT NULL PRIMARY KEY,
    node     text        NOT NULL,
    file     text        NOT NULL,
    bytes    bigint      NOT NULL
);
