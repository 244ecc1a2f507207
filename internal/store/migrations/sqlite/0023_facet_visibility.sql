-- Facets carry their item's publication state (draft, publish_at, unpublish_at) as they carry
-- its kind and start (migration 0004), in their listing index: a listing filtered by a facet
-- counts its items (for its pages) from the index alone, instead of reading each item to see
-- whether visitors see it — 7,343 reads of items for the news of one category at 100,000
-- items, 27 ms, against one range of the index. Written with the item's facets by saveItem.
ALTER TABLE facets ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;
ALTER TABLE facets ADD COLUMN publish_at TEXT;
ALTER TABLE facets ADD COLUMN unpublish_at TEXT;
UPDATE facets SET
    draft = (SELECT draft FROM items WHERE items.id = facets.item_id),
    publish_at = (SELECT publish_at FROM items WHERE items.id = facets.item_id),
    unpublish_at = (SELECT unpublish_at FROM items WHERE items.id = facets.item_id);
DROP INDEX facets_listing;
CREATE INDEX facets_listing ON facets (name, value, kind, starts, item_id, draft, publish_at, unpublish_at);
