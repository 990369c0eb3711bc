-- Step 7: a lead's writes to an account's facts count to the list of the account's CSM (and
-- everyone's), not to every list: a lead logging in a one-on-one leaves the other CSMs' kept
-- lists as they were. Counted row by row, as a CSM's tasks are (step 5), except where a lead adds
-- rows in bulk (new accounts and the milestones their journeys plan, usage samples): those still
-- count to every list, once per statement. The undo log is read by no list: its writes count to
-- none but everyone's (-1).

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

CREATE OR REPLACE FUNCTION tend_count_rows() RETURNS trigger LANGUAGE plpgsql
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

DROP TRIGGER tasks_counted ON tasks;
DROP FUNCTION tend_count_task();
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
