-- InsightDash's pulls (issue #14): a URL the cron fetches every `interval_minutes`
-- (under shared/http/outbound.ts's SSRF guard), read as JSON (one value at a path),
-- CSV (ts,series,value) or Prometheus text, with the last run's outcome kept to show.
CREATE TABLE insight_pulls (
  id               INTEGER PRIMARY KEY,
  owner_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  url              TEXT    NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  format           TEXT    NOT NULL CHECK (format IN ('json', 'csv', 'prometheus')),
  -- JSON: the path to the value ($.main.temp) and the series it goes to.
  selector         TEXT    NOT NULL DEFAULT '' CHECK (length(selector) <= 200),
  series           TEXT    NOT NULL DEFAULT '' CHECK (length(series) <= 200),
  interval_minutes INTEGER NOT NULL CHECK (interval_minutes BETWEEN 5 AND 10080),
  next_at          INTEGER NOT NULL,
  last_at          INTEGER,
  last_ok          INTEGER CHECK (last_ok IN (0, 1)),
  last_message     TEXT    CHECK (length(last_message) <= 500),
  created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX insight_pulls_due ON insight_pulls (next_at);
CREATE INDEX insight_pulls_by_owner ON insight_pulls (owner_id, id);

-- A series' automatic goal: the average of the same weekday over the 4 weeks before
-- (its day's sum for counters and habits, its day's average for gauges), instead of a fixed one.
ALTER TABLE insight_series ADD COLUMN goal_auto INTEGER NOT NULL DEFAULT 0 CHECK (goal_auto IN (0, 1));

-- The start of the oldest hour whose raw points a series still has in full: the cron's
-- retention moves it forward as it deletes. Points before it are refused even after the
-- retention is raised, so a rollup is never rewritten from part of its hour.
ALTER TABLE insight_series ADD COLUMN pruned_before INTEGER NOT NULL DEFAULT 0;
