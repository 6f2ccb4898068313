-- InsightDash's storage quota (issue #14): how many raw points each series keeps, so
-- an account's total is one indexed sum, not a count of millions of points.
-- It is the sum of the series' hourly rollups' counts from pruned_before on: an ingest
-- adds the difference its rewritten hours make, in the same batch; the retention cron
-- subtracts an hour's count when it moves pruned_before past it (the points go then).
ALTER TABLE insight_series ADD COLUMN points INTEGER NOT NULL DEFAULT 0;

UPDATE insight_series SET points = (
  SELECT coalesce(sum(r.n), 0) FROM insight_rollups_hour r
  WHERE r.series_id = insight_series.id AND r.bucket >= insight_series.pruned_before
);
