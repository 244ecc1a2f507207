-- The site's next transition (store.nextTransition) is the smallest of its items' times still
-- ahead. Scheduled publication and unpublication are rare and had no index that starts with
-- them, so their minimum read the whole table (half a second at 100,000 items, after every
-- save). Partial indexes of the few items that have them: the public reads' condition
-- (publish_at IS NULL OR publish_at <= now) does not imply publish_at IS NOT NULL, so SQLite,
-- which plans without statistics, cannot take these for those reads.
CREATE INDEX items_publish_at ON items (publish_at) WHERE publish_at IS NOT NULL;
CREATE INDEX items_unpublish_at ON items (unpublish_at) WHERE unpublish_at IS NOT NULL;
