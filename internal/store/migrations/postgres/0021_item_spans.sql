-- The longest spans of each kind, which bound the reads of upcoming events and of what is open
-- for application: see migrations/sqlite/0021_item_spans.sql.
ALTER TABLE items ADD COLUMN ends_span BIGINT;
ALTER TABLE items ADD COLUMN closes_span BIGINT;
UPDATE items SET ends_span = CASE
    WHEN starts IS NULL OR ends < starts THEN 1000000000000
    ELSE round(EXTRACT(EPOCH FROM (ends::timestamptz - starts::timestamptz)))::bigint
END WHERE ends IS NOT NULL;
UPDATE items SET ends_span = 0 WHERE ends IS NULL AND starts IS NOT NULL;
UPDATE items SET closes_span = CASE
    WHEN starts IS NULL THEN 1000000000000
    ELSE round(EXTRACT(EPOCH FROM (closes::timestamptz - starts::timestamptz)))::bigint
END WHERE closes IS NOT NULL;
CREATE INDEX items_kind_ends_span ON items (kind, ends_span) WHERE ends_span IS NOT NULL;
CREATE INDEX items_kind_closes_span ON items (kind, closes_span) WHERE closes_span IS NOT NULL;
