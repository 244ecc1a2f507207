-- The search index's GIN takes new entries in its pending list again (0016 turned fastupdate
-- off): every write merges the list into the index before it commits (store.Tx.flushSearch),
-- so searches still find it empty, and the entries of a transaction enter the index sorted, in
-- bulk, rather than a text's few hundred terms one descent each (an import of 3,154 items:
-- 41 s of the server's CPU for search_docs' inserts, 7 s with the pending list).
ALTER INDEX search_docs_terms SET (fastupdate = on);
