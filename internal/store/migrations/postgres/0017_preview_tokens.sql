-- Preview tokens: the same table and meaning as migrations/sqlite/0017_preview_tokens.sql
-- (read that first); only the types differ.
CREATE TABLE preview_tokens (
    hash     TEXT COLLATE "C" PRIMARY KEY,
    user_id  BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     TEXT COLLATE "C" NOT NULL,
    key      TEXT COLLATE "C" NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0,
    binding  TEXT COLLATE "C" NOT NULL,
    created  TEXT COLLATE "C" NOT NULL,
    expires  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX preview_tokens_expires ON preview_tokens (expires);
