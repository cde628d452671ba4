-- A character sheet's free notes, beside its attributes (which dice read as @variables).
ALTER TABLE characters ADD COLUMN notes text NOT NULL DEFAULT '';
