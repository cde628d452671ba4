-- A guest's way back: one row per browser they joined from. The browser keeps "<id>.<secret>" in an HttpOnly cookie;
-- only the SHA-256 of the secret is stored. Each use replaces the secret; the one it replaced is kept, so a stolen
-- copy presented after the rightful browser moved on is recognised and the whole row revoked.
CREATE TABLE guest_devices (
    id            text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash   text NOT NULL UNIQUE,
    previous_hash text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    used_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);
CREATE INDEX guest_devices_by_user ON guest_devices (user_id);
