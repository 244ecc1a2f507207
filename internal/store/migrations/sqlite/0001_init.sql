-- The content store. One row per item, one per translation, one per filterable value.
-- Kind-specific fields are JSON (see the Go types in the root package); every column that is
-- filtered or sorted on is its own column. Times are UTC, written 2006-01-02T15:04:05Z, so that
-- they compare as text in every dialect.

CREATE TABLE site (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    data    TEXT    NOT NULL,
    version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO site (id, data, version) VALUES (1, '{}', 0);

CREATE TABLE items (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    source_lang TEXT    NOT NULL,
    shared      TEXT    NOT NULL,
    starts      TEXT,
    ends        TEXT,
    opens       TEXT,
    closes      TEXT,
    position    INTEGER NOT NULL DEFAULT 0,
    parent      TEXT    NOT NULL DEFAULT '', -- key of the parent page, or a session's event
    updated     TEXT    NOT NULL,
    UNIQUE (kind, key)
);
CREATE INDEX items_kind_starts ON items (kind, starts);

CREATE TABLE texts (
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL,
    lang    TEXT    NOT NULL,
    slug    TEXT    NOT NULL,
    title   TEXT    NOT NULL,
    summary TEXT    NOT NULL,
    body    TEXT    NOT NULL,
    html    TEXT    NOT NULL DEFAULT '', -- body rendered to HTML when saved
    fields  TEXT    NOT NULL,
    PRIMARY KEY (item_id, lang)
);
CREATE UNIQUE INDEX texts_slug ON texts (kind, lang, slug) WHERE slug <> '';
CREATE INDEX texts_any_slug ON texts (kind, slug);

CREATE TABLE facets (
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    name    TEXT    NOT NULL,
    value   TEXT    NOT NULL,
    PRIMARY KEY (item_id, name, value)
);
CREATE INDEX facets_value ON facets (name, value, item_id);

CREATE TABLE media (
    path         TEXT    PRIMARY KEY,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    updated      TEXT    NOT NULL
);
