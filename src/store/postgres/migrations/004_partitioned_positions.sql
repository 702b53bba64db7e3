-- vessel_positions becomes a table partitioned by range on ts, in a leaner row.
--
-- Partitions: one per `partition_interval` (history_settings; `aisctl db migrate
-- --partition-interval` chooses it the first time, through the transaction-local setting
-- aisctl.partition_interval in seconds; default one day), aligned on UTC midnight and, for
-- whole weeks, on Mondays. Retention drops whole partitions (`aisctl db retention`): no
-- row-by-row DELETE, no bloat. The history writer creates partitions ahead with
-- aisctl_ensure_partitions() in its own short transaction; the DEFAULT partition only catches
-- strays (a partition that could not be created in time), and `aisctl doctor` reports its rows.
--
-- The row (bytes per stored position, docs/storage.md "PostgreSQL history layout"): AIS's own
-- integer units with AIS's own "not available" values instead of NULLs, so no row carries a
-- null bitmap, and columns ordered 8, 4, 2 bytes so nothing is padded:
--   lat, lon        int4, 1/10,000 minute (1/600,000 degree), exact for every AIS position
--   sog             int2, 0.1 knot, 1023 = not available (type 9 gives whole knots: 1020 = 102 kn)
--   cog             int2, 0.1 degree, 3600 = not available
--   heading_status  int2, true heading (0..359, 511 = not available) + 512 x navigational
--                   status (0..14, 15 = not defined): the two share one int2 so that the data
--                   is 32 bytes and the tuple 56 (a 34-byte row pads to 64)
--   source_id       int2 into sources(id, name)
--   vessel_id       int4: vessels.id is bigint, but 2^31 vessels is far beyond any fleet, and
--                   an int4 saves the 4 bytes that keep the tuple at 56; the (vessel_id, ts)
--                   index tuple is 24 bytes either way (MAXALIGN)
--   score           real, as before (compared on conflict; an integer scale would lose order)
--
-- No foreign key to vessels any more. Measured with bench/ingest-ceiling.ts (docs/storage.md):
-- in the same run the raw COPY upsert is 18-35 % and the history writer 46-80 % faster without
-- it, because every inserted row costs a lookup in vessels plus a FOR KEY SHARE row lock that
-- dirties the vessel's tuple (and a new partition would lock vessels too). It guarded nothing
-- aisctl can get wrong: vessel ids come only from vessels (resolved, or inserted in the same
-- transaction before the positions) and vessels are never deleted, only soft-deleted; every
-- read joins vessels, so a row whose vessel a person deleted by hand is simply not shown.

CREATE TABLE history_settings (
  singleton          boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  partition_interval interval NOT NULL CHECK (partition_interval >= interval '1 hour')
);

INSERT INTO history_settings (partition_interval)
VALUES (make_interval(secs => coalesce(nullif(current_setting('aisctl.partition_interval', true), ''), '86400')::bigint));

CREATE TABLE sources (
  id   smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE
);

ALTER TABLE vessel_positions RENAME TO vessel_positions_unpartitioned;
ALTER INDEX vessel_positions_pkey RENAME TO vessel_positions_unpartitioned_pkey;
ALTER INDEX vessel_positions_ts_brin RENAME TO vessel_positions_unpartitioned_ts_brin;
ALTER TABLE vessel_positions_unpartitioned RENAME CONSTRAINT vessel_positions_vessel_id_fkey TO vessel_positions_unpartitioned_vessel_id_fkey;

-- The primary key (vessel_id, ts) serves "last N positions of a vessel" with a backward index
-- scan per partition, and is the conflict target that makes re-ingest idempotent (it includes
-- the partition key, as a partitioned table's unique constraints must).
CREATE TABLE vessel_positions (
  ts             timestamptz NOT NULL,
  vessel_id      integer NOT NULL,
  lat            integer NOT NULL,
  lon            integer NOT NULL,
  score          real NOT NULL,
  sog            smallint NOT NULL,
  cog            smallint NOT NULL,
  heading_status smallint NOT NULL,
  source_id      smallint NOT NULL,
  PRIMARY KEY (vessel_id, ts)
) PARTITION BY RANGE (ts);

-- Time-range scans inside a partition (export windows): a few pages instead of a B-tree.
CREATE INDEX vessel_positions_ts_brin ON vessel_positions USING brin (ts);

CREATE TABLE vessel_positions_default PARTITION OF vessel_positions DEFAULT;

-- What every read selects from: the stored units back in the units of the reads' output
-- (degrees, knots, the source's name, NULL for "not available"), divided in float8 as the
-- decoder divides, so a value read back is the double that was written. A single-table view:
-- conditions on vessel_id and ts reach the primary key and prune partitions as before; the
-- source name is looked up only for rows returned.
CREATE VIEW vessel_positions_decoded AS
SELECT p.vessel_id, p.ts,
       p.lat / 600000::float8 AS lat,
       p.lon / 600000::float8 AS lon,
       nullif(p.sog, 1023) / 10::float8 AS sog,
       nullif(p.cog, 3600) / 10::float8 AS cog,
       nullif(p.heading_status % 512, 511) AS heading,
       nullif(p.heading_status / 512, 15) AS nav_status,
       (SELECT s.name FROM sources s WHERE s.id = p.source_id) AS source,
       p.score
FROM vessel_positions p;

-- The partition holding `at`: its bounds and its name (vessel_positions_YYYYMMDD, with
-- _HH24MI when partitions are shorter than a day), from the recorded interval.
CREATE FUNCTION aisctl_partition_of(at timestamptz, step interval, OUT lower_bound timestamptz, OUT upper_bound timestamptz, OUT name text)
LANGUAGE sql STABLE AS $$
  SELECT b, b + step,
         'vessel_positions_' || to_char(b AT TIME ZONE 'UTC', CASE WHEN step < interval '24 hours' THEN 'YYYYMMDD"_"HH24MI' ELSE 'YYYYMMDD' END)
  FROM (SELECT date_bin(step, at, timestamptz '2000-01-03 00:00:00+00') AS b) x
$$;

-- Creates the partitions that hold the given times, those missing, and returns how many it
-- created. Creators are serialised by an advisory lock (two writers never race on one name).
-- Rows already in the default partition for a new partition's range are moved into it (the
-- new table is filled first, then attached, because a range the default still holds cannot be
-- attached). `lock_wait`: when set, the lock_timeout of this call, so a writer that cannot
-- get the parent's lock soon (a long export holding it) gives up (SQLSTATE 55P03) and writes
-- to the default partition rather than stalling ingest; the migrator passes NULL and waits.
CREATE FUNCTION aisctl_ensure_partitions(times timestamptz[], lock_wait interval DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  step interval;
  p record;
  created integer := 0;
BEGIN
  SELECT partition_interval INTO STRICT step FROM history_settings;
  IF lock_wait IS NOT NULL THEN
    PERFORM set_config('lock_timeout', (extract(epoch FROM lock_wait) * 1000)::bigint || 'ms', true);
  END IF;
  PERFORM pg_advisory_xact_lock(7462871930418);
  FOR p IN
    SELECT DISTINCT x.lower_bound, x.upper_bound, x.name
    FROM unnest(times) AS t(at), aisctl_partition_of(t.at, step) AS x
    WHERE t.at IS NOT NULL
    ORDER BY x.lower_bound
  LOOP
    CONTINUE WHEN to_regclass(quote_ident(p.name)) IS NOT NULL;
    IF NOT EXISTS (SELECT 1 FROM vessel_positions_default WHERE ts >= p.lower_bound AND ts < p.upper_bound) THEN
      BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF vessel_positions FOR VALUES FROM (%L) TO (%L)', p.name, p.lower_bound, p.upper_bound);
        created := created + 1;
        CONTINUE;
      EXCEPTION WHEN check_violation THEN
        NULL; -- a stray reached the default partition since the check: moved below
      END;
    END IF;
    -- No new strays while they move; writers hold only a lock on the parent that ATTACH's
    -- does not conflict with, so waiting here cannot close a cycle.
    LOCK TABLE vessel_positions_default IN EXCLUSIVE MODE;
    EXECUTE format('CREATE TABLE %I (LIKE vessel_positions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', p.name);
    EXECUTE format('WITH moved AS (DELETE FROM vessel_positions_default WHERE ts >= $1 AND ts < $2 RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', p.name) USING p.lower_bound, p.upper_bound;
    EXECUTE format('ALTER TABLE vessel_positions ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', p.name, p.lower_bound, p.upper_bound);
    created := created + 1;
  END LOOP;
  RETURN created;
END
$$;

-- Upgrade in place: the rows of the unpartitioned table move into partitions covering them, in
-- the new units; `aisctl db migrate` prints the notice below.
DO $$
DECLARE
  moved bigint;
  made integer;
BEGIN
  INSERT INTO sources (name) SELECT DISTINCT source FROM vessel_positions_unpartitioned ORDER BY 1;
  SELECT aisctl_ensure_partitions(coalesce(array_agg(DISTINCT date_bin(s.step, o.ts, timestamptz '2000-01-03 00:00:00+00')), '{}'))
  INTO made
  FROM vessel_positions_unpartitioned o, (SELECT partition_interval AS step FROM history_settings) s;
  INSERT INTO vessel_positions (ts, vessel_id, lat, lon, score, sog, cog, heading_status, source_id)
  SELECT o.ts, o.vessel_id, round(o.lat * 600000)::integer, round(o.lon * 600000)::integer, o.score,
         coalesce(round(o.sog::float8 * 10)::smallint, 1023), coalesce(round(o.cog::float8 * 10)::smallint, 3600),
         coalesce(o.heading, 511) + 512 * coalesce(o.nav_status, 15), s.id
  FROM vessel_positions_unpartitioned o JOIN sources s ON s.name = o.source
  ORDER BY o.vessel_id, o.ts;
  GET DIAGNOSTICS moved = ROW_COUNT;
  IF moved > 0 THEN
    RAISE NOTICE 'vessel_positions: moved % rows from the unpartitioned table into % partitions of %', moved, made,
      (SELECT justify_hours(partition_interval) FROM history_settings);
  END IF;
  DROP TABLE vessel_positions_unpartitioned;
END
$$;

-- The range partitions of vessel_positions with their bounds (the default partition has none
-- and is not listed): what retention and `aisctl doctor` look at.
CREATE FUNCTION aisctl_position_partitions(OUT name text, OUT lower_bound timestamptz, OUT upper_bound timestamptz)
RETURNS SETOF record
LANGUAGE sql STABLE AS $$
  SELECT c.relname::text, m[1]::timestamptz, m[2]::timestamptz
  FROM pg_inherits i
  JOIN pg_class c ON c.oid = i.inhrelid
  CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\) TO \(''([^'']+)''\)') AS m
  WHERE i.inhparent = 'vessel_positions'::regclass AND m IS NOT NULL
$$;

-- Retention: drops one partition if it still lies wholly before `cut` (re-checked here, under
-- the creators' advisory lock, so a name from an earlier listing can never drop newer data).
-- A whole table goes: no row DELETE, no dead tuples, no vacuum debt. `lock_wait` as in
-- aisctl_ensure_partitions: DROP needs the parent's lock, and retention may wait for a reader.
CREATE FUNCTION aisctl_drop_position_partition(part text, cut timestamptz, lock_wait interval DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF lock_wait IS NOT NULL THEN
    PERFORM set_config('lock_timeout', (extract(epoch FROM lock_wait) * 1000)::bigint || 'ms', true);
  END IF;
  PERFORM pg_advisory_xact_lock(7462871930418);
  IF NOT EXISTS (SELECT 1 FROM aisctl_position_partitions() p WHERE p.name = part AND p.upper_bound <= cut) THEN
    RETURN false;
  END IF;
  EXECUTE format('DROP TABLE %I', part);
  RETURN true;
END
$$;
