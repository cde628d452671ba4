-- Vertable schema, version 1. Ids are opaque text made by the application.

CREATE TABLE users (
    id            text PRIMARY KEY,
    username      text UNIQUE,                 -- null for guests who joined through an invite
    password_hash text,                        -- null for guests
    display_name  text NOT NULL,
    server_role   text NOT NULL DEFAULT 'USER' CHECK (server_role IN ('USER', 'ADMIN')),
    guest         boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (guest OR (username IS NOT NULL AND password_hash IS NOT NULL))
);

CREATE TABLE rooms (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    owner_id    text NOT NULL REFERENCES users (id),
    dice_dialect text NOT NULL DEFAULT 'roll20' CHECK (dice_dialect IN ('roll20', 'foundry')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz
);

CREATE TABLE room_members (
    room_id   text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id   text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      text NOT NULL CHECK (role IN ('GM', 'PLAYER', 'OBSERVER')),
    banned    boolean NOT NULL DEFAULT false,
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_members_by_user ON room_members (user_id);

CREATE TABLE invites (
    code       text PRIMARY KEY,
    room_id    text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('GM', 'PLAYER', 'OBSERVER')),
    created_by text NOT NULL REFERENCES users (id),
    expires_at timestamptz,
    max_uses   integer CHECK (max_uses IS NULL OR max_uses > 0),
    uses       integer NOT NULL DEFAULT 0,
    revoked    boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invites_by_room ON invites (room_id);

-- The room log. (room_id, seq) is the fence that keeps two would-be owners from forking a room's history.
CREATE TABLE events (
    room_id  text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq      bigint NOT NULL CHECK (seq > 0),
    type     text NOT NULL,
    actor    text,
    ts       timestamptz NOT NULL,
    audience jsonb NOT NULL,
    data     jsonb NOT NULL,
    PRIMARY KEY (room_id, seq)
);

CREATE TABLE snapshots (
    room_id    text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    state      jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, seq)
);

CREATE TABLE chat_messages (
    id         text PRIMARY KEY,
    room_id    text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq        bigint NOT NULL,               -- the room event that carried it
    author_id  text REFERENCES users (id),
    kind       text NOT NULL,                 -- say, emote, ooc, whisper, desc, roll, ...
    body       text NOT NULL,
    audience   jsonb NOT NULL,
    data       jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    edited_at  timestamptz,
    deleted_at timestamptz,
    search     tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
);
CREATE INDEX chat_messages_by_room ON chat_messages (room_id, seq DESC);
CREATE INDEX chat_messages_search ON chat_messages USING gin (search);

CREATE TABLE assets (
    id           text PRIMARY KEY,
    room_id      text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    uploaded_by  text REFERENCES users (id),
    name         text NOT NULL,
    content_type text NOT NULL,
    size_bytes   integer NOT NULL CHECK (size_bytes >= 0),
    sha256       text NOT NULL,
    content      bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assets_by_room ON assets (room_id);

CREATE TABLE characters (
    id         text PRIMARY KEY,
    room_id    text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    owner_id   text REFERENCES users (id),
    name       text NOT NULL,
    sheet      jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX characters_by_room ON characters (room_id);

CREATE TABLE notes (
    id         text PRIMARY KEY,
    room_id    text NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    author_id  text REFERENCES users (id),
    title      text NOT NULL,
    body       text NOT NULL,
    gm_only    boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_by_room ON notes (room_id);
