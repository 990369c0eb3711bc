-- Step 4: the team book counts its write transactions, so that what a member's tend works out
-- from the facts (the head of the morning's triage list) can be kept in the book and shown by the
-- next tend at once, only while nothing has been written since. Each transaction that changes a
-- fact adds one row (its own id): a reader counts, in the very view it reads, the writes it sees,
-- and two views that count the same saw the same writes (a later view sees every write an earlier
-- one saw). `tend snapshot` folds the rows into one (their sum) now and then.
CREATE TABLE book_writes (
    xact   xid8 PRIMARY KEY,
    writes BIGINT NOT NULL DEFAULT 1
);
REVOKE ALL ON book_writes FROM PUBLIC;
GRANT SELECT ON book_writes TO PUBLIC;

-- Run with the owner's rights: members may not add rows of their own (only as they write).
CREATE FUNCTION tend_count_write() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- Once per transaction, however many statements write (the setting lasts to the commit).
    IF current_setting('tend.write_counted', true) IS DISTINCT FROM pg_current_xact_id()::text THEN
        INSERT INTO public.book_writes (xact) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
        PERFORM set_config('tend.write_counted', pg_current_xact_id()::text, true);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION tend_announce() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.tend_count_write();
    PERFORM pg_notify('tend_book', current_user);
    RETURN NULL;
END
$$;

-- The rows folded into one, keeping their sum: a reader's count is the same before and after.
CREATE FUNCTION tend_fold_writes() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (SELECT count(*) FROM public.book_writes) > 1 THEN
        WITH gone AS (DELETE FROM public.book_writes RETURNING writes)
        INSERT INTO public.book_writes (xact, writes) SELECT pg_current_xact_id(), sum(writes) FROM gone;
    END IF;
END
$$;

-- A CSM keeps the head of their own list (a lead or an importer any, as before).
CREATE POLICY csm_keeps_own_head ON triage_heads FOR ALL
    USING ((SELECT tend_kind()) = 'csm'
           AND split_part(scope, '@', 1) = 'csm:' || lower((SELECT name FROM public.csms WHERE id = (SELECT tend_csm()))))
    WITH CHECK ((SELECT tend_kind()) = 'csm'
           AND split_part(scope, '@', 1) = 'csm:' || lower((SELECT name FROM public.csms WHERE id = (SELECT tend_csm()))));
