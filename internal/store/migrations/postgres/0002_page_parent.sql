-- Pages saved before their parent was indexed have it only in their shared fields: copy it into
-- the column the menu tree is built from (see migrations/sqlite/0002_page_parent.sql).
UPDATE items SET parent = COALESCE(CAST(shared AS jsonb) ->> 'parent', '') WHERE kind = 'page' AND parent = '';
