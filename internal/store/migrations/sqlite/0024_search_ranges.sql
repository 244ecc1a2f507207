-- PostgreSQL's 0024 indexes its search terms with ranges of ids; nothing to do on SQLite,
-- whose FTS5 table gives the matches newest first itself.
SELECT 1;
