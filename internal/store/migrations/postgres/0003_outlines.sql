-- The outline of the site in each language: what the frame of every page shows (menu pages,
-- members, vocabulary terms), written by the store in the transaction of every change. See
-- internal/store/outline.go.
CREATE TABLE outlines (
    lang TEXT COLLATE "C" PRIMARY KEY,
    data TEXT NOT NULL
);
