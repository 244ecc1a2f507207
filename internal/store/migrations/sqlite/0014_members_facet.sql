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

-- The back office's list of a kind at 100,000 items (store/editlist.go): every filter of it is
-- answered from one index, in its order, without reading the items' rows or their texts. The
-- list's total counts every item a filter selects, which a filter read from the rows (the
-- status) or the texts (a title's words: every text row holds its body, one page or more
-- each) made take 40 to 200 ms for the 37,000 stories of a large site. Two derived columns,
-- written by saveItem from the item's texts: titles, every text's title in lower case, one a
-- line; langs, the languages of its texts as ",en,fr,". Rows stored before get them here,
-- lowered by SQL (ASCII only in SQLite, as the list's LOWER(title) did); a save lowers them
-- with Go's Unicode case mapping.
ALTER TABLE items ADD COLUMN titles TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN langs TEXT NOT NULL DEFAULT '';
UPDATE items SET
    titles = COALESCE((SELECT group_concat(lower(title), char(10)) FROM (SELECT title FROM texts WHERE item_id = items.id ORDER BY lang)), ''),
    langs = COALESCE(',' || (SELECT group_concat(lang, ',') FROM (SELECT lang FROM texts WHERE item_id = items.id ORDER BY lang)) || ',', '');
DROP INDEX items_kind_updated;
CREATE INDEX items_edit_list ON items (kind, updated, id, draft, publish_at, unpublish_at, langs, titles);
