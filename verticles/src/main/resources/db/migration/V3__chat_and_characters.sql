-- A message id is unique within its room: an imported copy of a room keeps its messages' ids.
ALTER TABLE chat_messages DROP CONSTRAINT chat_messages_pkey;
ALTER TABLE chat_messages ADD PRIMARY KEY (room_id, id);

-- Characters are listed per room and owner, newest first.
ALTER TABLE characters ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX characters_by_owner ON characters (room_id, owner_id);
