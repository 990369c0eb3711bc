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
