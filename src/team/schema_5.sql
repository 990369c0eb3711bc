-- Step 5: each write is counted to the lists it may change, so that a CSM's kept triage list
-- holds while others write to other CSMs' accounts. A Triage list reads only the facts of its own
-- accounts (and the book's rules): a write to another CSM's account cannot change it. A row of
-- `book_writes` now names the CSM whose list a write may change (`csm_id`); 0 for every list (an
-- importer's writes, a lead's bulk additions, the book's rules); -1 for none but everyone's (the
-- undo log, which no list reads). A CSM's list counts its own rows and the 0 rows; everyone's
-- list counts every row, as before. The rows counted before this step are 0 rows: every list's
-- count stays what it was, and a list kept before it holds as before.
--
-- A CSM writes only to their own accounts (the rules of step 1), but for a task they own on
-- another CSM's account; a lead writes anywhere, mostly one account at a time (a one-on-one).
-- Those are counted row by row, to the list of the row's account's CSM. A lead's bulk additions
-- (new accounts and the milestones their journeys plan, usage samples) count to every list, once
-- per statement, as an importer's do.
ALTER TABLE book_writes ADD COLUMN csm_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE book_writes DROP CONSTRAINT book_writes_pkey;
ALTER TABLE book_writes ADD PRIMARY KEY (xact, tbl, csm_id);

CREATE FUNCTION tend_count_write(tbl TEXT, csm BIGINT) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- (A setting's name takes no minus sign: the list -1 is marked "n1".)
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

-- The list a written row counts to: its account's CSM's (0, every list's, for an account with
-- none). The row as JSON: one function for every table, whichever fields it has.
CREATE FUNCTION tend_list_of_row(tbl TEXT, r JSONB) RETURNS BIGINT LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(CASE tbl
        WHEN 'accounts' THEN (r ->> 'csm_id')::bigint
        WHEN 'goal_status_changes' THEN
            (SELECT a.csm_id FROM public.goals g JOIN public.accounts a ON a.id = g.account_id
             WHERE g.id = (r ->> 'goal_id')::bigint)
        ELSE (SELECT a.csm_id FROM public.accounts a WHERE a.id = (r ->> 'account_id')::bigint) END, 0)
$$;

CREATE FUNCTION tend_count_rows() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM public.tend_count_write(TG_TABLE_NAME, public.tend_list_of_row(TG_TABLE_NAME, to_jsonb(NEW)));
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM public.tend_count_write(TG_TABLE_NAME, public.tend_list_of_row(TG_TABLE_NAME, to_jsonb(OLD)));
    END IF;
    RETURN NULL;
END
$$;

-- The writer's kind, noted once per statement before its rows (a setting of the transaction,
-- which each statement sets afresh, whatever a member set it to): each row's trigger asks the
-- setting, not the team's table (a query a row: an eighth more on every row copied or imported).
CREATE FUNCTION tend_note_kind() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM set_config('tend.kind', coalesce(public.tend_kind(), ''), true);
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['entries', 'goals', 'goal_status_changes', 'arr_changes', 'triage_marks',
                             'band_overrides', 'milestone_rows', 'contract_events', 'tasks',
                             'playbook_episodes', 'contacts', 'accounts', 'planned_milestones'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION tend_note_kind()', t || '_kind_noted', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['entries', 'goals', 'goal_status_changes', 'arr_changes', 'triage_marks',
                             'band_overrides', 'milestone_rows', 'contract_events', 'tasks',
                             'playbook_episodes', 'contacts'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW '
                       'WHEN (current_setting(%L, true) %s) EXECUTE FUNCTION tend_count_rows()',
                       t || '_counted', t, 'tend.kind',
                       CASE WHEN t = 'tasks' THEN 'IN (''lead'', ''csm'')' ELSE '= ''lead''' END);
    END LOOP;
    -- Added in bulk by an import: counted once per statement (below).
    FOREACH t IN ARRAY ARRAY['accounts', 'planned_milestones'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE OR DELETE ON %I FOR EACH ROW '
                       'WHEN (current_setting(%L, true) = %L) EXECUTE FUNCTION tend_count_rows()',
                       t || '_counted', t, 'tend.kind', 'lead');
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION tend_announce() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    kind TEXT := public.tend_kind();
    by_row BOOLEAN := TG_TABLE_NAME IN ('entries', 'goals', 'goal_status_changes', 'arr_changes', 'triage_marks',
                                        'band_overrides', 'milestone_rows', 'contract_events', 'tasks',
                                        'playbook_episodes', 'contacts')
                      OR (TG_TABLE_NAME IN ('accounts', 'planned_milestones') AND TG_OP IN ('UPDATE', 'DELETE'));
BEGIN
    IF TG_TABLE_NAME = 'changes' THEN
        PERFORM public.tend_count_write(TG_TABLE_NAME, -1);
    ELSIF kind = 'lead' AND by_row THEN
        NULL; -- counted row by row (tend_count_rows)
    ELSIF kind = 'csm' AND TG_TABLE_NAME = 'tasks' THEN
        NULL; -- counted row by row: a task a CSM owns may stand on another's account
    ELSIF kind = 'csm' AND TG_TABLE_NAME NOT IN ('csms', 'scoring_changes', 'journey_steps') THEN
        PERFORM public.tend_count_write(TG_TABLE_NAME, public.tend_csm());
    ELSE
        PERFORM public.tend_count_write(TG_TABLE_NAME, 0);
    END IF;
    PERFORM pg_notify('tend_book', current_user);
    RETURN NULL;
END
$$;
DROP FUNCTION tend_count_write(TEXT);

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
