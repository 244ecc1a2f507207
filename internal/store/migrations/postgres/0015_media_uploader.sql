-- Who put a file into the media library: see migrations/sqlite/0015_media_uploader.sql.
ALTER TABLE media ADD COLUMN user_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE media ADD COLUMN user_name TEXT NOT NULL DEFAULT '';
CREATE INDEX media_updated ON media (updated, path);
