-- Step 4: the team book counts its write transactions, so that what a member's tend works out
-- from the facts (the head of the morning's triage list) can be kept in the book and shown by the
-- next tend at once, only while nothing has been written since; and so that a tend pulling the
-- book again pulls only the tables written since its last pull. Each transaction that changes a
-- table of facts adds one row (its own id and the table): a reader counts, in the very view it
-- reads, the writes it sees, and two views that count the same saw the same writes (a later view
-- sees every write an earlier one saw), to the book or to one table. `tend snapshot` folds the
-- rows into one per table (their sum) now and then.
CREATE TABLE book_writes (
    xact   xid8 NOT NULL,
    tbl    TEXT NOT NULL,
    writes BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (xact, tbl)
);
REVOKE ALL ON book_writes FROM PUBLIC;
GRANT SELECT ON book_writes TO PUBLIC;

-- Run with the owner's rights: members may not add rows of their own (only as they write).
CREATE FUNCTION tend_count_write(tbl TEXT) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    counted TEXT := 'tend.counted_' || tbl;
BEGIN
    -- Once per transaction and table, however many statements write (the setting lasts to the
    -- commit).
    IF current_setting(counted, true) IS DISTINCT FROM pg_current_xact_id()::text THEN
        INSERT INTO public.book_writes (xact, tbl) VALUES (pg_current_xact_id(), tbl) ON CONFLICT DO NOTHING;
        PERFORM set_config(counted, pg_current_xact_id()::text, true);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION tend_announce() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.tend_count_write(TG_TABLE_NAME);
    PERFORM pg_notify('tend_book', current_user);
    RETURN NULL;
END
$$;

-- The rows folded into one per table, keeping their sums: a reader's counts are the same before
-- and after.
CREATE FUNCTION tend_fold_writes() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (SELECT count(*) FROM public.book_writes) > (SELECT count(DISTINCT tbl) FROM public.book_writes) THEN
        WITH gone AS (DELETE FROM public.book_writes RETURNING tbl, writes)
        INSERT INTO public.book_writes (xact, tbl, writes)
        SELECT pg_current_xact_id(), tbl, sum(writes) FROM gone GROUP BY tbl;
    END IF;
END
$$;

-- A CSM keeps the head of their own list (a lead or an importer any, as before).
CREATE POLICY csm_keeps_own_head ON triage_heads FOR ALL
    USING ((SELECT tend_kind()) = 'csm'
           AND split_part(scope, '@', 1) = 'csm:' || lower((SELECT name FROM public.csms WHERE id = (SELECT tend_csm()))))
    WITH CHECK ((SELECT tend_kind()) = 'csm'
           AND split_part(scope, '@', 1) = 'csm:' || lower((SELECT name FROM public.csms WHERE id = (SELECT tend_csm()))));
