-- The words of every item's titles, for the back office's list filtered by words: see
-- migrations/sqlite/0018_title_words.sql. COLLATE "C" so that a word's range compares bytes,
-- as SQLite does.
CREATE TABLE title_words (
    kind    TEXT COLLATE "C" NOT NULL,
    word    TEXT COLLATE "C" NOT NULL,
    item_id BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, word, item_id)
);
CREATE INDEX title_words_item ON title_words (item_id);
