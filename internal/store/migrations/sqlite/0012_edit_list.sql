-- The back office's list of a kind (store.EditList) shows the latest changes first: read in
-- this index's order, a page of it stops at its limit however many items the kind has.
CREATE INDEX items_kind_updated ON items (kind, updated, id);
