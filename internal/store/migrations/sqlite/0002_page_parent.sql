-- Pages saved before their parent was indexed have it only in their shared fields: copy it into
-- the column the menu tree is built from.
UPDATE items SET parent = COALESCE(json_extract(shared, '$.parent'), '') WHERE kind = 'page' AND parent = '';
