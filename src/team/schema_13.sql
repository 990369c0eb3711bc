-- Step 13: a touch may be a chat (an Intercom or Zendesk conversation), as a book file's step 31
-- allows: the entries' check on a touch's channel takes one more. Found by what it checks, as
-- the first step left it unnamed.
DO $$
DECLARE
    name text;
BEGIN
    FOR name IN
        SELECT conname FROM pg_constraint
        WHERE conrelid = 'public.entries'::regclass AND contype = 'c'
          AND pg_get_constraintdef(oid) LIKE '%onsite%'
    LOOP
        EXECUTE format('ALTER TABLE public.entries DROP CONSTRAINT %I', name);
    END LOOP;
END $$;
ALTER TABLE public.entries ADD CONSTRAINT entries_touch_channel
    CHECK (kind <> 'touch' OR channel IN ('call', 'email', 'meeting', 'qbr', 'onsite', 'chat'));
