-- Facets carry their item's kind and start, so that a listing filtered by a facet (the news of
-- one category, the stories related to one) reads the facet's index in the listing's order and
-- stops at its limit, instead of walking every item of the kind to test each for the facet.
-- Written with the item's facets by SaveItem. See Query in internal/store/items.go.
ALTER TABLE facets ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE facets ADD COLUMN starts TEXT;
UPDATE facets SET
    kind = (SELECT kind FROM items WHERE items.id = facets.item_id),
    starts = (SELECT starts FROM items WHERE items.id = facets.item_id);
DROP INDEX facets_value;
CREATE INDEX facets_listing ON facets (name, value, kind, starts, item_id);
