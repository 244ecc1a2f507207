-- The search index (internal/store/search.go). One document per text of an item of a kind
-- with a page: its terms, as internal/search analyzes them, in the FTS5 table search_fts (whose
-- rowid is the document's id), and what a result shows and sorts on beside it. The terms are
-- already stemmed and folded in Go: the tokenizer only splits them on spaces and keeps the
-- tags' underscores ("l_fr": the text's language; "f_de": the text shown, as a fallback, in a
-- language the item lacks; "k_story": the kind), so SQLite and PostgreSQL see the same terms.
CREATE TABLE search_docs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    lang        TEXT    NOT NULL,
    title_terms TEXT    NOT NULL, -- ' term term … ': the title's terms, for the order of results
    snippet     TEXT    NOT NULL, -- plain text shown under a result
    UNIQUE (item_id, lang)
);
CREATE VIRTUAL TABLE search_fts USING fts5 (terms, content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'");
-- A document deleted (its item deleted, by cascade, or saved again) takes its terms along.
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
    DELETE FROM search_fts WHERE rowid = old.id;
END;

-- The vocabulary of indexed terms long enough to be matched with a typo, and each one's
-- one-letter deletions (SymSpell): a query word's candidates are one indexed lookup. Terms are
-- only ever added: one no text holds any more widens a query with a term that matches nothing.
CREATE TABLE search_vocab (term TEXT PRIMARY KEY);
CREATE TABLE search_typos (
    del  TEXT NOT NULL,
    term TEXT NOT NULL,
    PRIMARY KEY (del, term)
);
