-- The calendar to subscribe to (/{lang}/calendar.ics) reads the events that have not ended and
-- the deadlines still ahead, soonest first (store.Ending, store.Closing): with these, each is a
-- range of an index read in order, from now onwards, rather than every item of the kind sorted
-- by start and tested one by one. Events always have an end, calls a deadline; learning without
-- an application window has no closes and is not in the range.
CREATE INDEX items_kind_ends ON items (kind, ends, id);
CREATE INDEX items_kind_closes ON items (kind, closes, id);
