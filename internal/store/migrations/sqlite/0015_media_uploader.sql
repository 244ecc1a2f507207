-- Who put a file into the media library, for the back office's list and its rule that a member
-- editor deletes only their own uploads: 0 and '' for files that came with an import or a copy.
-- Named by id and display name, as revisions' authors are, without a foreign key: the library
-- outlives accounts. The list shows the newest files first, a page of it read in this index's
-- order.
ALTER TABLE media ADD COLUMN user_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE media ADD COLUMN user_name TEXT NOT NULL DEFAULT '';
CREATE INDEX media_updated ON media (updated, path);
