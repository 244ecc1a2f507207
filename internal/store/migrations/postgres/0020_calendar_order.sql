-- The calendar's upcoming events and deadlines ahead: see migrations/sqlite/0020_calendar_order.sql.
CREATE INDEX items_kind_ends ON items (kind, ends, id);
CREATE INDEX items_kind_closes ON items (kind, closes, id);
