-- One row per MMSI. Position reports touch last_seen on every batch, so leave room in each page
-- for HOT updates (no index covers first_seen/last_seen/static columns on purpose).
CREATE TABLE vessels (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  mmsi              integer NOT NULL UNIQUE,
  name              text,
  callsign          text,
  imo               integer,
  ship_type         smallint,
  to_bow            smallint,
  to_stern          smallint,
  to_port           smallint,
  to_starboard      smallint,
  draught           real,
  destination       text,
  first_seen        timestamptz NOT NULL,
  last_seen         timestamptz NOT NULL,
  static_updated_at timestamptz,
  deleted_at        timestamptz
) WITH (fillfactor = 80);

-- Soft delete (roadmap 6.1): deleted vessels are few, so a partial index lists them cheaply
-- without costing anything on the hot path; live reads go through the mmsi unique index.
CREATE INDEX vessels_deleted_at_idx ON vessels (deleted_at) WHERE deleted_at IS NOT NULL;
