-- The id of the command that produced an event: a repeated command (a retry after a timeout, or a resend after an
-- owner change) is answered with its first result instead of being applied twice.
ALTER TABLE events ADD COLUMN command_id text;
CREATE INDEX events_by_command ON events (room_id, command_id) WHERE command_id IS NOT NULL;
