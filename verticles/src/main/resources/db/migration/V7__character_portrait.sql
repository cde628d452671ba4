-- A character sheet's portrait: one of the room's images (an asset id), or none.
ALTER TABLE characters ADD COLUMN portrait text;
