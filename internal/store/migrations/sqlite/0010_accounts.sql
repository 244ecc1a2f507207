-- The back office's accounts (see store/accounts.go). Nothing here is content: writing these
-- tables never changes the content version, so signing in drops no cached page.
--
-- users: one row per person who signs in. email is stored lower case; password is a PHC
-- string (argon2id, see internal/auth), '' until an invitation is accepted; languages are a
-- translator's ISO 639-1 codes, comma-separated; lang is the user's own language. Users are
-- never deleted, only disabled, so that the audit log keeps naming them.
CREATE TABLE users (
    id        INTEGER PRIMARY KEY,
    email     TEXT    NOT NULL UNIQUE,
    name      TEXT    NOT NULL DEFAULT '',
    role      TEXT    NOT NULL,
    member    TEXT    NOT NULL DEFAULT '',
    languages TEXT    NOT NULL DEFAULT '',
    lang      TEXT    NOT NULL DEFAULT '',
    password  TEXT    NOT NULL DEFAULT '',
    disabled  INTEGER NOT NULL DEFAULT 0,
    created   TEXT    NOT NULL
);

-- sessions: a signed-in browser. hash is the SHA-256 (hex) of the cookie's token, so a copy
-- of the database signs no one in; csrf is the token the session's forms carry.
CREATE TABLE sessions (
    hash    TEXT    PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf    TEXT    NOT NULL,
    created TEXT    NOT NULL,
    expires TEXT    NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires);

-- api_tokens: a user's tokens for the API, hashed like sessions; revoking deletes the row.
CREATE TABLE api_tokens (
    id        INTEGER PRIMARY KEY,
    hash      TEXT    NOT NULL UNIQUE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    created   TEXT    NOT NULL,
    last_used TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- user_tokens: single-use links sent by mail (purpose 'reset' or 'invite'), hashed; using one
-- deletes it.
CREATE TABLE user_tokens (
    hash    TEXT    PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT    NOT NULL,
    created TEXT    NOT NULL,
    expires TEXT    NOT NULL
);
CREATE INDEX user_tokens_user ON user_tokens (user_id);

-- signin_failures: failed sign-ins, counted per account and per address over a recent window
-- to rate-limit guessing across every instance of a site.
CREATE TABLE signin_failures (
    id    INTEGER PRIMARY KEY,
    email TEXT    NOT NULL,
    addr  TEXT    NOT NULL,
    at    TEXT    NOT NULL
);
CREATE INDEX signin_failures_email ON signin_failures (email, at);
CREATE INDEX signin_failures_addr ON signin_failures (addr, at);

-- item_creators: who created an item in the back office (an organiser owns what they
-- created). Items imported from files have no row.
CREATE TABLE item_creators (
    item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id)
);

-- audit: who did what, when. actor is the user's address at the time (actor_id 0 for the
-- command line or an unknown address); subject is what was acted on (a user's address, an
-- item's kind/key); detail says more (a role change's old and new role). Rows are only added.
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT    NOT NULL,
    actor_id INTEGER NOT NULL DEFAULT 0,
    actor    TEXT    NOT NULL DEFAULT '',
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL DEFAULT '',
    detail   TEXT    NOT NULL DEFAULT '',
    addr     TEXT    NOT NULL DEFAULT ''
);
