-- The smaller copies of a raster image that pages offer in srcset, made once when the image is
-- saved (media.Variants). Derived data, like a text's rendered HTML: not exported, made again
-- on import; copied with the site.
CREATE TABLE media_variants (
    path         TEXT    NOT NULL REFERENCES media (path) ON DELETE CASCADE ON UPDATE CASCADE,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    PRIMARY KEY (path, width)
);
