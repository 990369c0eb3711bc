-- Step 9: each counted write keeps when it was made (`at`), and a fold keeps the latest of the
-- writes it folds. A member's kept snapshot (and an open tend's) tells the team book's state by
-- each table's count of writes and its latest write: a book put back from a backup and then
-- written as many times as the snapshot saw is not taken for the book it saw (the counts alone
-- would be the same), nor one written more times since (the latest write it saw is not there).
ALTER TABLE book_writes ADD COLUMN at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp();

-- Folded by table and list, keeping their sums and their latest write; only writes more than a
-- week old, so that the latest write a member's snapshot saw in the last week is still there to
-- be found (a snapshot whose latest write is gone was pulled from a book since put back).
CREATE OR REPLACE FUNCTION tend_fold_writes() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (SELECT count(*) FROM public.book_writes WHERE at < now() - interval '7 days')
       > (SELECT count(*) FROM (SELECT DISTINCT tbl, csm_id FROM public.book_writes
                                WHERE at < now() - interval '7 days') d) THEN
        WITH gone AS (DELETE FROM public.book_writes WHERE at < now() - interval '7 days'
                      RETURNING tbl, csm_id, writes, at)
        INSERT INTO public.book_writes (xact, tbl, csm_id, writes, at)
        SELECT pg_current_xact_id(), tbl, csm_id, sum(writes), max(at) FROM gone GROUP BY tbl, csm_id;
    END IF;
END
$$;
