-- PostgreSQL's 0019 turns the search index's GIN pending list on; nothing to do on SQLite.
SELECT 1;
