-- Items without a date sort first of the soonest and last of the newest on both databases
-- (see orderBy in internal/store/items.go). SQLite's indexes hold NULL first already; these
-- do too now, so that both orders still read them in order instead of sorting.
DROP INDEX items_kind_starts;
CREATE INDEX items_kind_starts ON items (kind, starts NULLS FIRST, id);
DROP INDEX facets_listing;
CREATE INDEX facets_listing ON facets (name, value, kind, starts NULLS FIRST, item_id);
