-- Media bytes move out of media into chunks of 256 KiB, so that a file is served, copied and
-- exported one chunk at a time (constant memory whatever its size) while a site stays one
-- database to back up. media keeps what is read without the bytes (type, size, sha256, updated)
-- and gains the real width and height of images, for pages' img attributes (filled by the store
-- when it saves, and by the migration's Go step for files already stored).
CREATE TABLE media_chunks (
    path TEXT    NOT NULL REFERENCES media (path) ON DELETE CASCADE ON UPDATE CASCADE,
    n    INTEGER NOT NULL, -- the chunk's number: it holds bytes [n × 262144, (n+1) × 262144)
    data BLOB    NOT NULL,
    PRIMARY KEY (path, n)
);

INSERT INTO media_chunks (path, n, data)
WITH RECURSIVE c (path, n) AS (
    SELECT path, 0 FROM media WHERE length(data) > 0
    UNION ALL
    SELECT c.path, c.n + 1 FROM c JOIN media m ON m.path = c.path WHERE (c.n + 1) * 262144 < length(m.data)
)
SELECT c.path, c.n, substr(m.data, c.n * 262144 + 1, 262144) FROM c JOIN media m ON m.path = c.path;

ALTER TABLE media DROP COLUMN data;
ALTER TABLE media ADD COLUMN width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE media ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
