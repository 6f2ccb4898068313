-- InsightDash's dashboards, cards and annotations (issue #14), and a series' goal.
-- A dashboard is a list of cards (one series each, a kind, an order); its share token,
-- when set, opens it read-only without signing in (replaced or cleared to revoke).
ALTER TABLE insight_series ADD COLUMN goal REAL;

CREATE TABLE insight_dashboards (
  id          TEXT    PRIMARY KEY,
  owner_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  share_token TEXT    UNIQUE,
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX insight_dashboards_by_owner ON insight_dashboards (owner_id, created_at);

CREATE TABLE insight_cards (
  id           INTEGER PRIMARY KEY,
  dashboard_id TEXT    NOT NULL REFERENCES insight_dashboards(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  kind         TEXT    NOT NULL CHECK (kind IN ('line', 'bars', 'stat', 'calendar', 'table')),
  series_id    INTEGER NOT NULL REFERENCES insight_series(id) ON DELETE CASCADE,
  title        TEXT    NOT NULL DEFAULT '' CHECK (length(title) <= 100)
) STRICT;
CREATE INDEX insight_cards_by_dashboard ON insight_cards (dashboard_id, position);
CREATE INDEX insight_cards_by_series ON insight_cards (series_id);

-- A note at a moment, on one series' charts or (series_id NULL) on all of the owner's.
CREATE TABLE insight_annotations (
  id         INTEGER PRIMARY KEY,
  owner_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  series_id  INTEGER REFERENCES insight_series(id) ON DELETE CASCADE,
  ts         INTEGER NOT NULL,
  text       TEXT    NOT NULL CHECK (length(text) BETWEEN 1 AND 280),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX insight_annotations_by_owner ON insight_annotations (owner_id, ts);
CREATE INDEX insight_annotations_by_series ON insight_annotations (series_id);
