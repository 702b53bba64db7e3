-- The primary key (vessel_id, ts) serves "last N positions of a vessel" with a backward index
-- scan, and is the conflict target that makes re-ingest idempotent.
CREATE TABLE vessel_positions (
  vessel_id  bigint NOT NULL REFERENCES vessels (id),
  ts         timestamptz NOT NULL,
  lat        double precision NOT NULL,
  lon        double precision NOT NULL,
  sog        real,
  cog        real,
  heading    smallint,
  nav_status smallint,
  source     text NOT NULL,
  score      real NOT NULL,
  PRIMARY KEY (vessel_id, ts)
);

-- Time-range scans (retention, "what arrived in the last hour") over an append-mostly table:
-- a BRIN index is a few pages instead of a second B-tree on every insert.
CREATE INDEX vessel_positions_ts_brin ON vessel_positions USING brin (ts);
