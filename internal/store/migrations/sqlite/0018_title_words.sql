-- The words of every item's titles, for the back office's list filtered by words (EditList):
-- each title's words lower-cased and without accents, unstemmed (internal/search's Folded),
-- one row per item and word whatever the language. A word typed in the list finds the items
-- with a title word starting with it, by a range of this index (word >= 'clim' AND word <
-- 'clim' || U+10FFFF), in the same byte order on both databases, instead of a LIKE over
-- every item's titles. Written with the item (saveItem); filled for the items stored before.
CREATE TABLE title_words (
    kind    TEXT    NOT NULL,
    word    TEXT    NOT NULL,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, word, item_id)
) WITHOUT ROWID;
CREATE INDEX title_words_item ON title_words (item_id);
