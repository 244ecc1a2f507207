-- The members facet: see migrations/sqlite/0014_members_facet.sql.
INSERT INTO facets (item_id, name, value, kind, starts)
SELECT id, 'member', shared::jsonb ->> 'member', kind, starts FROM items
WHERE kind = 'person' AND COALESCE(shared::jsonb ->> 'member', '') <> ''
ON CONFLICT DO NOTHING;

INSERT INTO facets (item_id, name, value, kind, starts)
SELECT DISTINCT i.id, 'author', a.k, i.kind, i.starts
FROM items i, jsonb_array_elements_text(COALESCE(i.shared::jsonb -> 'authors', '[]'::jsonb)) a(k)
WHERE i.kind IN ('story', 'resource') AND a.k <> ''
ON CONFLICT DO NOTHING;

INSERT INTO facets (item_id, name, value, kind, starts)
SELECT DISTINCT a.item_id, 'member', m.value, a.kind, a.starts
FROM facets a
JOIN items p ON p.kind = 'person' AND p.key = a.value
JOIN facets m ON m.item_id = p.id AND m.name = 'member'
WHERE a.name = 'author'
ON CONFLICT DO NOTHING;
