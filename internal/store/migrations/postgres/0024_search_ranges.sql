-- The search index's GIN indexes the terms with the tag of the text's range of ids,
-- n_{id >> 10} (store.pgTerms, which the search's statements must spell exactly so), so that
-- a search reads its matches among the newest texts first through the index alone, the range
-- tags a second condition the index scan intersects with the match (store.searchCandidates).
-- An expression rather than a tag stored in the terms: the ids are known only once the row is
-- written, and indexing the expression leaves the table as it is.
-- GIN builds its index in memory in batches of maintenance_work_mem (64 MB by default): more
-- memory, fewer merges, for this transaction only.
SET LOCAL maintenance_work_mem = '256MB';
DROP INDEX search_docs_terms;
CREATE INDEX search_docs_terms ON search_docs
    USING GIN ((terms || array_to_tsvector(ARRAY['n_' || (id >> 10)::text]))) WITH (fastupdate = on);
