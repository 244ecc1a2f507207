-- Upcoming events are listed soonest first, and an event is upcoming until it ends: read by
-- start, every event that has ended came first and was passed over one by one (7,325 of them
-- for the events feed of a site of 100,000 items); so were learning and calls whose
-- application has closed, for the feeds of those open now. An item not yet ended started at
-- most the longest time from start to end of its kind ago (and one still open for
-- application, the longest from start to deadline), which makes the read a range of
-- (kind, starts, id) from then on (store.DB.bound). ends_span and closes_span are those
-- lengths in seconds (closes_span is negative when applications close before the start). An
-- item with an end or a deadline and no start, or an end before its start, has one longer
-- than any (store.unbounded), so that its kind is read without the bound.
-- The indexes are partial: SQLite plans without statistics, and only a statement that says
-- "… IS NOT NULL" (the longest span's) can use them, so no other plan changes.
ALTER TABLE items ADD COLUMN ends_span INTEGER;
ALTER TABLE items ADD COLUMN closes_span INTEGER;
UPDATE items SET ends_span = CASE
    WHEN starts IS NULL OR ends < starts THEN 1000000000000
    ELSE CAST(round((julianday(ends) - julianday(starts)) * 86400) AS INTEGER)
END WHERE ends IS NOT NULL;
UPDATE items SET ends_span = 0 WHERE ends IS NULL AND starts IS NOT NULL;
UPDATE items SET closes_span = CASE
    WHEN starts IS NULL THEN 1000000000000
    ELSE CAST(round((julianday(closes) - julianday(starts)) * 86400) AS INTEGER)
END WHERE closes IS NOT NULL;
CREATE INDEX items_kind_ends_span ON items (kind, ends_span) WHERE ends_span IS NOT NULL;
CREATE INDEX items_kind_closes_span ON items (kind, closes_span) WHERE closes_span IS NOT NULL;
