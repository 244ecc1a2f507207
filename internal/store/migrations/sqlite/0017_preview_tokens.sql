-- preview_tokens: a signed-in editor's short-lived permission to see one item, as it stands
-- (revision 0) or as one of its revisions, at its public URL (see store/preview.go). The
-- back office's session cookie is limited to /admin/, so the public page cannot see it: the
-- back office mints one of these and sends the editor to the page with the token in the
-- query. A link alone previews nothing: binding is the SHA-256 of a second secret, kept in a
-- cookie the back office sets for the item's public path only, so that the URL copied to
-- someone else shows them the public page. hash is the SHA-256 (hex) of the token, so a copy
-- of the database previews nothing either.
CREATE TABLE preview_tokens (
    hash     TEXT    PRIMARY KEY,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL,
    key      TEXT    NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0,
    binding  TEXT    NOT NULL,
    created  TEXT    NOT NULL,
    expires  TEXT    NOT NULL
);
CREATE INDEX preview_tokens_expires ON preview_tokens (expires);
