-- The stories just before and after one (store.Older, store.Newer) and the newest of a kind
-- are read in (starts, id) order: with id in the index, the neighbour is the next entry of
-- the index instead of a sort of every item of the kind that starts earlier or later.
DROP INDEX items_kind_starts;
CREATE INDEX items_kind_starts ON items (kind, starts, id);
