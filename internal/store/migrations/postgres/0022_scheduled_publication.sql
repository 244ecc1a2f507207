-- The minimum of scheduled publication and unpublication ahead, for the site's next
-- transition: see migrations/sqlite/0022_scheduled_publication.sql.
CREATE INDEX items_publish_at ON items (publish_at) WHERE publish_at IS NOT NULL;
CREATE INDEX items_unpublish_at ON items (unpublish_at) WHERE unpublish_at IS NOT NULL;
