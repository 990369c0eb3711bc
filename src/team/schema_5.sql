-- Step 5: each write is counted to the lists it may change, so that a CSM's kept triage list
-- holds while others write to their own accounts. A Triage list reads only the facts of its own
-- accounts (and the book's rules): a write to another CSM's account cannot change it. A row of
-- `book_writes` now names the CSM whose list a write may change (`csm_id`), or 0 for every
-- list: a lead's or an importer's writes (they may write anywhere), and the book's rules. A
-- CSM's list counts its own rows and the 0 rows; everyone's list counts every row, as before.
-- The rows counted before this step are 0 rows: every list's count stays what it was, and a
-- list kept before it holds as before.
ALTER TABLE book_writes ADD COLUMN csm_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE book_writes DROP CONSTRAINT book_writes_pkey;
ALTER TABLE book_writes ADD PRIMARY KEY (xact, tbl, csm_id);

CREATE FUNCTION tend_count_write(tbl TEXT, csm BIGINT) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- (A setting's name takes no minus sign: the list -1 of step 7 is marked "n1".)
    counted TEXT := 'tend.counted_' || tbl || '_' || replace(csm::text, '-', 'n');
BEGIN
    -- Once per transaction, table and list, however many statements write.
    IF current_setting(counted, true) IS DISTINCT FROM pg_current_xact_id()::text THEN
        INSERT INTO public.book_writes (xact, tbl, csm_id) VALUES (pg_current_xact_id(), tbl, csm)
            ON CONFLICT DO NOTHING;
        PERFORM set_config(counted, pg_current_xact_id()::text, true);
    END IF;
END
$$;

-- A CSM writes only to their own accounts (the rules of step 1), but for a task they own on
-- another CSM's account: tasks a CSM writes are counted row by row (below), to the CSM of the
-- task's account.
CREATE OR REPLACE FUNCTION tend_announce() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    kind TEXT := public.tend_kind();
BEGIN
    IF kind = 'csm' AND TG_TABLE_NAME NOT IN ('tasks', 'csms', 'scoring_changes', 'journey_steps') THEN
        PERFORM public.tend_count_write(TG_TABLE_NAME, public.tend_csm());
    ELSIF kind IS DISTINCT FROM 'csm' OR TG_TABLE_NAME <> 'tasks' THEN
        PERFORM public.tend_count_write(TG_TABLE_NAME, 0);
    END IF;
    PERFORM pg_notify('tend_book', current_user);
    RETURN NULL;
END
$$;
DROP FUNCTION tend_count_write(TEXT);

CREATE FUNCTION tend_count_task() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM public.tend_count_write('tasks',
            coalesce((SELECT csm_id FROM public.accounts WHERE id = NEW.account_id), 0));
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM public.tend_count_write('tasks',
            coalesce((SELECT csm_id FROM public.accounts WHERE id = OLD.account_id), 0));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER tasks_counted AFTER INSERT OR UPDATE OR DELETE ON tasks
    FOR EACH ROW WHEN (tend_kind() = 'csm') EXECUTE FUNCTION tend_count_task();

-- Folded by table and list, keeping their sums.
CREATE OR REPLACE FUNCTION tend_fold_writes() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (SELECT count(*) FROM public.book_writes)
       > (SELECT count(*) FROM (SELECT DISTINCT tbl, csm_id FROM public.book_writes) d) THEN
        WITH gone AS (DELETE FROM public.book_writes RETURNING tbl, csm_id, writes)
        INSERT INTO public.book_writes (xact, tbl, csm_id, writes)
        SELECT pg_current_xact_id(), tbl, csm_id, sum(writes) FROM gone GROUP BY tbl, csm_id;
    END IF;
END
$$;
