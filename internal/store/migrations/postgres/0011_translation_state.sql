-- Whether each translation is up to date with its source: see migrations/sqlite/0011_translation_state.sql.
ALTER TABLE texts ADD COLUMN source_hash TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE texts ADD COLUMN outdated INTEGER NOT NULL DEFAULT 0;
CREATE INDEX texts_translation ON texts (lang, kind, outdated, item_id);
CREATE INDEX audit_action ON audit (action, id);
CREATE INDEX audit_actor ON audit (actor_id, id);
