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
