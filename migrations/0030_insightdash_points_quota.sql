-- InsightDash's storage quota (issue #14): how many raw points each series keeps, so
-- an account's total is one indexed sum, not a count of millions of points.
-- An ingest adds the difference its rewritten hours' counts make, in the same batch
-- (the hours from pruned_before on hold all of a series' points there); a delete of
-- points, and the retention cron, subtract what they delete, as they delete it.
ALTER TABLE insight_series ADD COLUMN points INTEGER NOT NULL DEFAULT 0;

UPDATE insight_series SET points = (SELECT count(*) FROM insight_points p WHERE p.series_id = insight_series.id);
