-- Step 12: each metric's own sample counts by day ("metric_days:logins"), beside the book's, as
-- a book file keeps them (its step 30): a metric's days count to the newest day its own feed
-- covers, not to another feed's. Worked out once from the samples.
INSERT INTO book_meta (key, value)
    SELECT 'metric_days:' || metric, string_agg(day || '=' || n, ';' ORDER BY day)
    FROM (SELECT metric, day, count(*) AS n FROM metric_samples GROUP BY metric, day) c
    GROUP BY metric
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
