-- InsightDash: personal time series (issue #14). Points are raw (series, ts, value),
-- idempotent by their key (the last value sent wins); hourly and daily rollups are
-- rewritten from the points of each touched bucket in the same batch as the ingest,
-- so they stay exact under re-sent points (workers/insightdash/repository.ts).
CREATE TABLE insight_series (
  id             INTEGER PRIMARY KEY,
  owner_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name           TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  unit           TEXT    NOT NULL DEFAULT '' CHECK (length(unit) <= 20),
  kind           TEXT    NOT NULL DEFAULT 'gauge' CHECK (kind IN ('gauge', 'counter', 'habit')),
  tags           TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(tags) AND length(tags) <= 2000),
  retention_days INTEGER NOT NULL DEFAULT 90 CHECK (retention_days BETWEEN 1 AND 3660),
  created_at     INTEGER NOT NULL,
  UNIQUE (owner_id, name)
) STRICT;

-- Integer milliseconds; a point per series and moment.
CREATE TABLE insight_points (
  series_id INTEGER NOT NULL REFERENCES insight_series(id) ON DELETE CASCADE,
  ts        INTEGER NOT NULL,
  value     REAL    NOT NULL,
  PRIMARY KEY (series_id, ts)
) STRICT, WITHOUT ROWID;

-- (series, bucket start): count, sum, min and max, so averages re-aggregate exactly.
CREATE TABLE insight_rollups_hour (
  series_id INTEGER NOT NULL REFERENCES insight_series(id) ON DELETE CASCADE,
  bucket    INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  sum       REAL    NOT NULL,
  min       REAL    NOT NULL,
  max       REAL    NOT NULL,
  PRIMARY KEY (series_id, bucket)
) STRICT, WITHOUT ROWID;

CREATE TABLE insight_rollups_day (
  series_id INTEGER NOT NULL REFERENCES insight_series(id) ON DELETE CASCADE,
  bucket    INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  sum       REAL    NOT NULL,
  min       REAL    NOT NULL,
  max       REAL    NOT NULL,
  PRIMARY KEY (series_id, bucket)
) STRICT, WITHOUT ROWID;
