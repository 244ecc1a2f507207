-- Whether each translation is up to date with its item's source text (store/history.go).
-- source_hash is a hash of the source text's translatable content (title, summary, body,
-- translated fields) as it was when this text was last saved with changes, or marked up to
-- date by a translator; the source text's own is the hash of itself. '' is the state of the
-- rows stored before this migration: up to date with the source as it then stood (Save reads
-- it so). outdated is derived from the two, written in the transaction of every save: 1 when
-- the text's source_hash differs from its source text's, so that the translation dashboard
-- counts and lists outdated texts from an index, without comparing rows.
ALTER TABLE texts ADD COLUMN source_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE texts ADD COLUMN outdated INTEGER NOT NULL DEFAULT 0;
-- Per language and kind: the counts of texts and of outdated ones, and the outdated ones in order.
CREATE INDEX texts_translation ON texts (lang, kind, outdated, item_id);
-- The audit log filtered by action or user, newest first.
CREATE INDEX audit_action ON audit (action, id);
CREATE INDEX audit_actor ON audit (actor_id, id);
