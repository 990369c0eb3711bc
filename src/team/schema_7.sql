-- Step 7: a Triage mark says who made it. A lead marks items on a CSM's list in a one-on-one, and
-- the CSM sees whose decision hid them. Signed by the database as the member who wrote the mark,
-- on every write (a mark made again is a new decision, unlike an entry, which keeps its author
-- when edited). Marks made before say no one.
ALTER TABLE triage_marks ADD COLUMN csm_id BIGINT REFERENCES csms(id) ON DELETE SET NULL;

CREATE FUNCTION tend_sign_mark() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF public.tend_kind() IN ('csm', 'lead') THEN
        NEW.csm_id := public.tend_csm();
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER triage_marks_signed BEFORE INSERT OR UPDATE ON triage_marks
    FOR EACH ROW EXECUTE FUNCTION tend_sign_mark();
