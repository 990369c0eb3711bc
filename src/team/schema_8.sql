-- Step 8: the book's sample counts by day ("2026-11-23=4000;2026-11-30=1"), as a book file keeps
-- them (its step 25): an account's days since a login count to the newest day the book's usage
-- data covers, which one account's later row no longer moves (`domain::data_days`). They replace
-- the newest sample day, `metrics_through`.
INSERT INTO book_meta (key, value)
    SELECT 'metric_days', v
    FROM (SELECT string_agg(day || '=' || n, ';' ORDER BY day) AS v
          FROM (SELECT day, count(*) AS n FROM metric_samples GROUP BY day) c) s
    WHERE v IS NOT NULL
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
DELETE FROM book_meta WHERE key = 'metrics_through';
