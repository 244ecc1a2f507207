-- The members facet (store/save.go, indexMembers): a person's university, and a story's or
-- resource's authors and their universities, as facets, so that the back office's list of a
-- kind filtered by member reads facets_listing like any other filter instead of every author's
-- JSON. Save derives them at every write; this derives them for the rows stored before.
INSERT OR IGNORE INTO facets (item_id, name, value, kind, starts)
SELECT id, 'member', json_extract(shared, '$.member'), kind, starts FROM items
WHERE kind = 'person' AND COALESCE(json_extract(shared, '$.member'), '') <> '';

INSERT OR IGNORE INTO facets (item_id, name, value, kind, starts)
SELECT DISTINCT i.id, 'author', a.value, i.kind, i.starts FROM items i, json_each(i.shared, '$.authors') a
WHERE i.kind IN ('story', 'resource') AND a.value <> '';

INSERT OR IGNORE INTO facets (item_id, name, value, kind, starts)
SELECT DISTINCT a.item_id, 'member', m.value, a.kind, a.starts
FROM facets a
JOIN items p ON p.kind = 'person' AND p.key = a.value
JOIN facets m ON m.item_id = p.id AND m.name = 'member'
WHERE a.name = 'author';
