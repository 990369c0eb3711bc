-- Step 2: undo and logging on a team book. Each member undoes their own changes: those of the
-- sessions tend names after their role (`cli-ROLE-…`). A CSM adds to the undo log under their own sessions
-- only (another's `tend undo` never meets a change they wrote), and may mark those undone; what
-- undo puts back is held to the rules of the rows it changes. Leads and importers write the
-- whole log, as before.
DROP POLICY csm_adds ON changes;
CREATE POLICY csm_adds ON changes FOR INSERT
    WITH CHECK (tend_kind() = 'csm' AND starts_with(session, 'cli-' || current_user || '-'));
CREATE POLICY csm_undoes ON changes FOR UPDATE
    USING (tend_kind() = 'csm' AND starts_with(session, 'cli-' || current_user || '-'))
    WITH CHECK (tend_kind() = 'csm' AND starts_with(session, 'cli-' || current_user || '-'));

-- What is worked out from an account's facts goes stale when a CSM logs on it: they mark it
-- stale and drop its cached factor values, on the accounts they own.
CREATE POLICY csm_marks_stale ON history_stale FOR ALL
    USING (tend_kind() = 'csm' AND tend_owns(account_id))
    WITH CHECK (tend_kind() = 'csm' AND tend_owns(account_id));
CREATE POLICY csm_drops_snapshots ON factor_snapshots FOR DELETE
    USING (tend_kind() = 'csm' AND tend_owns(account_id));

-- A day is a day of the calendar, not only of its shape ('2026-31-99' was let in, and every
-- member's reads of that account failed): each `…_is_a_day` check of step 1 asks so now.
CREATE FUNCTION tend_is_day(d TEXT) RETURNS BOOLEAN LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF d !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
        RETURN false;
    END IF;
    RETURN make_date(substr(d, 1, 4)::int, substr(d, 6, 2)::int, substr(d, 9, 2)::int) IS NOT NULL;
EXCEPTION WHEN others THEN
    RETURN false;
END
$$;
DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT c.conname, c.conrelid::regclass::text AS tbl, a.attname
             FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             WHERE c.contype = 'c' AND c.conname LIKE '%\_is\_a\_day' AND c.connamespace = 'public'::regnamespace LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I CHECK (%I IS NULL OR tend_is_day(%I))',
                       r.tbl, r.conname, r.conname, r.attname, r.attname);
    END LOOP;
END
$$;
