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

-- The back office's list of a kind at 100,000 items: see migrations/sqlite/0014_members_facet.sql.
ALTER TABLE items ADD COLUMN titles TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN langs TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE items SET
    titles = COALESCE((SELECT string_agg(lower(title), E'\n' ORDER BY lang) FROM texts WHERE item_id = items.id), ''),
    langs = COALESCE(',' || (SELECT string_agg(lang, ',' ORDER BY lang) FROM texts WHERE item_id = items.id) || ',', '');
DROP INDEX items_kind_updated;
-- Without titles: an index row holds at most 2,704 bytes, which eight long titles exceed. The
-- words are matched on the rows (titles beside the shared fields, not the texts' bodies).
CREATE INDEX items_edit_list ON items (kind, updated, id) INCLUDE (draft, publish_at, unpublish_at, langs);
