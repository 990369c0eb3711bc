-- Step 10: a member's snapshot pulls again only the rows written since its last pull, not every
-- table written whole (a log entry moves its account's facts version: the whole accounts table
-- was pulled again after any write). Each row of the tables of accounts' facts keeps the
-- transaction that last wrote it (`row_xact`: by default on an insert, by a trigger on an
-- update); each row deleted leaves its key in `book_deletes`, and a table emptied at once
-- (TRUNCATE) a row without a key (the member pulls that table whole). A pull notes the view it
-- read (`pg_current_snapshot()`); the next pulls the rows and deletions of the transactions that
-- view did not see (`pg_visible_in_snapshot`), in whatever order they committed. A usage sample's
-- key is three columns: its deletion notes its account (`row_id`), whose samples are all pulled
-- again.
CREATE TABLE book_deletes (
    xact   xid8 NOT NULL DEFAULT pg_current_xact_id(),
    tbl    TEXT NOT NULL,
    row_id BIGINT,
    at     TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX book_deletes_xact ON book_deletes (xact);
REVOKE ALL ON book_deletes FROM PUBLIC;
GRANT SELECT ON book_deletes TO PUBLIC;

-- Deletions folded away (`tend snapshot` folds those more than a week old, as it folds the
-- counts of writes): every deletion from `tbl` by a transaction up to `upto` is gone from
-- `book_deletes`. A view whose oldest unfinished transaction (`pg_snapshot_xmin`) is later saw
-- them all; any other pulls the table whole.
CREATE TABLE book_deletes_folded (
    tbl  TEXT PRIMARY KEY,
    upto xid8 NOT NULL
);
REVOKE ALL ON book_deletes_folded FROM PUBLIC;
GRANT SELECT ON book_deletes_folded TO PUBLIC;

CREATE FUNCTION tend_fold_deletes() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    folded_upto xid8;
BEGIN
    folded_upto := (SELECT max(xact) FROM public.book_deletes WHERE at < now() - interval '7 days');
    IF folded_upto IS NOT NULL THEN
        WITH gone AS (DELETE FROM public.book_deletes WHERE xact <= folded_upto RETURNING tbl)
        INSERT INTO public.book_deletes_folded AS f (tbl, upto)
        SELECT DISTINCT tbl, folded_upto FROM gone
        ON CONFLICT (tbl) DO UPDATE SET upto = greatest(f.upto, excluded.upto);
    END IF;
END
$$;

CREATE FUNCTION tend_stamp_row() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- The top-level transaction's id, also from a subtransaction: it is the one views list.
    NEW.row_xact := pg_current_xact_id();
    RETURN NEW;
END
$$;

-- Run with the owner's rights: members may not add rows of their own (only as they delete).
CREATE FUNCTION tend_note_deletes() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('INSERT INTO public.book_deletes (tbl, row_id) SELECT %L, %I FROM gone', TG_TABLE_NAME, TG_ARGV[0]);
    RETURN NULL;
END
$$;

CREATE FUNCTION tend_note_emptied() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO public.book_deletes (tbl, row_id) VALUES (TG_TABLE_NAME, NULL);
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t TEXT;
    k TEXT;
BEGIN
    FOR t, k IN SELECT * FROM (VALUES
        ('accounts', 'id'), ('metric_samples', 'account_id'), ('entries', 'id'), ('goals', 'id'), ('goal_status_changes', 'id'),
        ('arr_changes', 'id'), ('triage_marks', 'account_id'), ('band_overrides', 'id'),
        ('milestone_rows', 'id'), ('planned_milestones', 'id'), ('contract_events', 'id'),
        ('tasks', 'id'), ('playbook_episodes', 'id'), ('contacts', 'id'), ('changes', 'id')) AS v(t, k)
    LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN row_xact xid8 NOT NULL DEFAULT pg_current_xact_id()', t);
        EXECUTE format('CREATE INDEX %I ON %I (row_xact)', t || '_row_xact', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION tend_stamp_row()',
                       t || '_row_stamped', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS gone '
                       'FOR EACH STATEMENT EXECUTE FUNCTION tend_note_deletes(%L)', t || '_deletes_noted', t, k);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION tend_note_emptied()',
                       t || '_emptied_noted', t);
    END LOOP;
END
$$;
