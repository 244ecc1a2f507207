-- Media bytes move out of media into chunks of 256 KiB, so that a file is served, copied and
-- exported one chunk at a time (constant memory whatever its size) while a site stays one
-- database to back up. media keeps what is read without the bytes (type, size, sha256, updated)
-- and gains the real width and height of images, for pages' img attributes (filled by the store
-- when it saves, and by the migration's Go step for files already stored).
CREATE TABLE media_chunks (
    path TEXT COLLATE "C" NOT NULL REFERENCES media (path) ON DELETE CASCADE ON UPDATE CASCADE,
    n    INTEGER NOT NULL, -- the chunk's number: it holds bytes [n × 262144, (n+1) × 262144)
    data BYTEA   NOT NULL,
    PRIMARY KEY (path, n)
);
-- Images and PDFs are compressed already: store the chunks out of line without trying again.
ALTER TABLE media_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

INSERT INTO media_chunks (path, n, data)
SELECT m.path, g.n, substring(m.data FROM g.n * 262144 + 1 FOR 262144)
FROM media m, generate_series(0, (length(m.data) - 1) / 262144) AS g (n)
WHERE length(m.data) > 0;

ALTER TABLE media
    DROP COLUMN data,
    ADD COLUMN width INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
