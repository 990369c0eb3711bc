-- Step 3: a member's tend hears when another writes. A statement that changes a fact of the
-- book (not what tend works out from the facts) announces it on the channel tend_book, with the
-- role that wrote: PostgreSQL sends it when the transaction commits, once per transaction
-- however many statements, and not at all when it is rolled back.
CREATE FUNCTION tend_announce() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_notify('tend_book', current_user);
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['csms', 'accounts', 'metric_samples', 'entries', 'goals', 'goal_status_changes',
                             'arr_changes', 'triage_marks', 'band_overrides', 'scoring_changes',
                             'milestone_rows', 'journey_steps', 'planned_milestones', 'contract_events',
                             'tasks', 'playbook_episodes', 'contacts', 'changes'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION tend_announce()', t || '_announced', t);
    END LOOP;
END
$$;

-- Milestones as the SQLite book has them: those written, and those a journey planned that nothing
-- has changed yet (a row of three numbers each), in one view the writes and the undo log name.
-- Read and written with the rights of whoever asks (security_invoker): each member's rules hold
-- on the tables beneath it.
CREATE VIEW milestones WITH (security_invoker = true) AS
    SELECT id, account_id, csm_id, journey, name, due, done, note, logged_at, deleted_at FROM milestone_rows
    UNION ALL
    SELECT p.id, p.account_id, a.csm_id, s.journey, s.name,
           to_char(date '1970-01-01' + p.due::integer, 'YYYY-MM-DD'), NULL, '', NULL, NULL
    FROM planned_milestones p JOIN journey_steps s ON s.id = p.step JOIN accounts a ON a.id = p.account_id;
GRANT SELECT, INSERT, UPDATE, DELETE ON milestones TO PUBLIC;

-- A new milestone takes the next id of both tables (a planned milestone and a written one are
-- one kind of row to the undo log): writers take turns for it. A change to a planned milestone
-- settles it as a written row first. A row the member's rules hide is changed by no one: the
-- statement then reports no row changed (tend says so), as an UPDATE of a table would.
CREATE FUNCTION tend_milestones_write() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    now_text TEXT := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pg_advisory_xact_lock(1953392996);
        INSERT INTO public.milestone_rows (id, account_id, csm_id, journey, name, due, done, note, logged_at, deleted_at)
        VALUES (coalesce(NEW.id, greatest((SELECT max(id) FROM public.milestone_rows),
                                          (SELECT max(id) FROM public.planned_milestones), 0) + 1),
                NEW.account_id, NEW.csm_id, NEW.journey, NEW.name, NEW.due, NEW.done, coalesce(NEW.note, ''),
                coalesce(NEW.logged_at, now_text), NEW.deleted_at)
        RETURNING id INTO NEW.id;
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM public.planned_milestones WHERE id = OLD.id) THEN
        INSERT INTO public.milestone_rows (id, account_id, csm_id, journey, name, due, done, note, logged_at, deleted_at)
        VALUES (OLD.id, OLD.account_id, OLD.csm_id, OLD.journey, OLD.name, OLD.due, OLD.done, OLD.note, now_text,
                OLD.deleted_at);
        DELETE FROM public.planned_milestones WHERE id = OLD.id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'milestone % could not be settled: new row violates row-level security policy', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM public.milestone_rows WHERE id = OLD.id;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        RETURN OLD;
    END IF;
    UPDATE public.milestone_rows
       SET account_id = NEW.account_id, journey = NEW.journey, name = NEW.name, due = NEW.due, done = NEW.done,
           note = NEW.note, deleted_at = NEW.deleted_at
     WHERE id = OLD.id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER milestones_write INSTEAD OF INSERT OR UPDATE OR DELETE ON milestones
    FOR EACH ROW EXECUTE FUNCTION tend_milestones_write();

-- Who a member is, asked once per statement rather than once per row: a policy's function call
-- in a sub-select is worked out once (an import of a million rows asked a million times).
DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['book_meta', 'csms', 'accounts', 'metric_samples', 'entries', 'goals',
                             'goal_status_changes', 'arr_changes', 'health_history', 'history_days',
                             'history_stale', 'history_accounts', 'triage_marks', 'band_overrides',
                             'scoring_changes', 'milestone_rows', 'journey_steps', 'planned_milestones',
                             'contract_events', 'triage_heads', 'tasks', 'playbook_episodes', 'contacts',
                             'changes', 'factor_snapshots'] LOOP
        EXECUTE format('ALTER POLICY members_read ON %I USING ((SELECT tend_kind()) IS NOT NULL)', t);
        EXECUTE format('ALTER POLICY leads_write ON %I USING ((SELECT tend_kind()) IN (%L, %L)) '
                       'WITH CHECK ((SELECT tend_kind()) IN (%L, %L))', t, 'lead', 'importer', 'lead', 'importer');
    END LOOP;
END
$$;
