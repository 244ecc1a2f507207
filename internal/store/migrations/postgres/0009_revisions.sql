-- Revisions of items: see migrations/sqlite/0009_revisions.sql.
ALTER TABLE items ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE revisions (
    item_id   BIGINT  NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    user_id   BIGINT,
    user_name TEXT    NOT NULL,
    created   TEXT COLLATE "C" NOT NULL,
    snapshot  TEXT    NOT NULL,
    PRIMARY KEY (item_id, number)
);

ALTER TABLE items ADD COLUMN image TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE items SET image = COALESCE(shared::jsonb ->> 'image', '') WHERE kind = 'story';
