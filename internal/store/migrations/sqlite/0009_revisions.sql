-- Every save of an item is a revision (store.Tx.Save): items.revision is the number of the
-- latest, and revisions keeps each one's snapshot (alliance.Snapshot as JSON: shared fields,
-- every text, draft and schedule) with who saved it and when. A save that names the revision
-- it started from is refused when items.revision has moved on (two editors at once).
-- Users are named by an id and a display name in plain columns: the revision outlives them.
ALTER TABLE items ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE revisions (
    item_id   INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    user_id   INTEGER,          -- NULL for the importer and the command line
    user_name TEXT    NOT NULL,
    created   TEXT    NOT NULL,
    snapshot  TEXT    NOT NULL,
    PRIMARY KEY (item_id, number)
);

-- The item's lead image (a story's image; see Item.Image), so that a story's page reads the
-- image's size (media.width, media.height) with the story's row instead of in a query of its own.
-- Written by Save from the kind's Index; the stories already stored get theirs here.
ALTER TABLE items ADD COLUMN image TEXT NOT NULL DEFAULT '';
UPDATE items SET image = COALESCE(json_extract(shared, '$.image'), '') WHERE kind = 'story';
