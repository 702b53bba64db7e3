import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing/services.js';
import type { PositionRow } from '../store-types.js';
import { createHistoryWriter } from './history-writer.js';
import { listMigrations, migrate } from './migrator.js';
import { createPool } from './pool.js';
import { applyRetention, compactClosedPartitions } from './retention.js';
import { lastPositions } from './vessel-queries.js';

const DAY = 86_400_000;

const pos = (mmsi: number, ts: number, over: Partial<PositionRow> = {}): PositionRow => ({
  mmsi,
  ts,
  lat: 30_123_456 / 600_000,
  lon: -7_654_321 / 600_000,
  sog: 12.3,
  cog: 359.9,
  heading: 359,
  navStatus: 14,
  source: 'rx-1',
  score: 0.75,
  ...over,
});

async function partitions(pool: pg.Pool): Promise<string[]> {
  const r = await pool.query<{ name: string }>('SELECT name FROM aisctl_position_partitions() ORDER BY lower_bound');
  return r.rows.map((row) => row.name);
}

async function count(pool: pg.Pool, table: 'vessel_positions' | 'vessel_positions_default'): Promise<number> {
  // A constant of this test, not input.
  const r = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(r.rows[0]?.n);
}

describe('migration 004 on a database that already holds unpartitioned rows', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase('part_upgrade');
    pool = createPool(db.url, { max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('moves every row into daily partitions in the new units, says so, and reads back the same values', async () => {
    // The schema as the previous release left it (migrations 001-003), with rows in it.
    await pool.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    for (const m of listMigrations().filter((x) => x.version <= 3)) {
      await pool.query(m.sql);
      await pool.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await pool.query('INSERT INTO vessels (mmsi, first_seen, last_seen) VALUES (211000001, now(), now()), (211000002, now(), now())');
    const t0 = Date.UTC(2023, 4, 1, 22);
    // Three days (22:00 on May 1st to 04:00 on May 3rd), both vessels, all "not available"
    // values on one row and extremes on another.
    await pool.query(
      `INSERT INTO vessel_positions (vessel_id, ts, lat, lon, sog, cog, heading, nav_status, source, score)
       SELECT v.id, 'epoch'::timestamptz + ($1::bigint + g * 3600000) * interval '1 millisecond',
              30123456 / 600000::float8, -7654321 / 600000::float8, 12.3, 359.9, 359, 14, 'rx-' || (g % 2), 0.75
       FROM vessels v, generate_series(0, 29) g`,
      [t0],
    );
    await pool.query(
      `INSERT INTO vessel_positions (vessel_id, ts, lat, lon, sog, cog, heading, nav_status, source, score)
       SELECT id, 'epoch'::timestamptz + ($1::bigint + 1) * interval '1 millisecond', -90, 180, NULL, NULL, NULL, NULL, 'edge', 1 FROM vessels WHERE mmsi = 211000001
       UNION ALL
       SELECT id, 'epoch'::timestamptz + ($1::bigint + 2) * interval '1 millisecond', 90, -180, 102.2, 0, 0, 0, 'edge', 1 FROM vessels WHERE mmsi = 211000001`,
      [t0],
    );
    // The old table's rows in the reads' output shape, as the previous release read them.
    const read = async (from: 'vessel_positions' | 'vessel_positions_decoded'): Promise<unknown[]> =>
      (
        await pool.query(
          `SELECT vessel_id::bigint AS vessel_id, (extract(epoch FROM ts) * 1000)::float8 AS ts, lat, lon, sog, cog, heading, nav_status, source, score FROM ${from} ORDER BY vessel_id, ts`,
        )
      ).rows;
    const before = await read('vessel_positions');

    const r = await migrate(pool, { partitionIntervalSeconds: 86_400 });

    expect(r.applied.map((m) => m.version)).toEqual([4]);
    expect(r.notices).toEqual(['vessel_positions: moved 62 rows from the unpartitioned table into 3 partitions of 1 day']);
    expect(r.partitionIntervalSeconds).toBe(86_400);
    expect(await partitions(pool)).toEqual(['vessel_positions_20230501', 'vessel_positions_20230502', 'vessel_positions_20230503']);
    expect(await count(pool, 'vessel_positions_default')).toBe(0);
    expect(await count(pool, 'vessel_positions')).toBe(62);
    expect(await read('vessel_positions_decoded')).toEqual(before);
    const after = await lastPositions(pool, 211000001, 100);
    expect(after.find((p) => p.ts === t0 + 1)).toMatchObject({ lat: -90, lon: 180, sog: null, cog: null, heading: null, navStatus: null, source: 'edge' });
    expect(after.find((p) => p.ts === t0 + 2)).toMatchObject({ lat: 90, lon: -180, sog: 102.2, cog: 0, heading: 0, navStatus: 0 });
    const old = await pool.query("SELECT to_regclass('vessel_positions_unpartitioned') AS t");
    expect(old.rows[0]).toEqual({ t: null });
  });

  it('keeps the recorded interval: a second migrate with another one changes nothing', async () => {
    const r = await migrate(pool, { partitionIntervalSeconds: 3_600 });
    expect(r.applied).toEqual([]);
    expect(r.partitionIntervalSeconds).toBe(86_400);
  });
});

describe('partitions created by the writer, and retention', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase('part_writer');
    pool = createPool(db.url, { max: 4 });
    await migrate(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('a replay of 2023 creates 2023 partitions and those ahead of now; nothing lands in the default partition; replay is idempotent', async () => {
    const now = Date.UTC(2026, 11, 5, 12);
    const w = createHistoryWriter({ pool, now: () => now, method: 'copy' });
    const rows = [pos(212000001, Date.UTC(2023, 0, 31, 23, 59)), pos(212000001, Date.UTC(2023, 1, 1, 0, 1)), pos(212000002, Date.UTC(2023, 1, 1, 5))];
    const first = await w.writeBatch(rows, []);
    expect(first).toMatchObject({ positionsInserted: 3, positionsSkipped: 0 });
    expect(await partitions(pool)).toEqual([
      'vessel_positions_20230131',
      'vessel_positions_20230201',
      'vessel_positions_20261205',
      'vessel_positions_20261206',
      'vessel_positions_20261207',
    ]);
    expect(w.partitionsCreatedTotal()).toBe(5);
    expect(await count(pool, 'vessel_positions_default')).toBe(0);

    const unnest = createHistoryWriter({ pool, now: () => now, method: 'unnest' });
    const again = await unnest.writeBatch(rows, []);
    expect(again).toMatchObject({ positionsInserted: 0, positionsUpdated: 0, positionsSkipped: 3 });
    const better = await unnest.writeBatch([{ ...rows[0], score: 0.9 } as PositionRow], []);
    expect(better).toMatchObject({ positionsInserted: 0, positionsUpdated: 1 });
    expect(unnest.partitionsCreatedTotal()).toBe(0);
    expect(await count(pool, 'vessel_positions')).toBe(3);
  });

  it('rows that landed in the default partition move into their partition when it is created', async () => {
    await pool.query(
      `INSERT INTO vessel_positions (ts, vessel_id, lat, lon, score, sog, cog, heading_status, source_id)
       SELECT '2022-06-01 10:00+00', id, 0, 0, 1, 1023, 3600, 8191, (SELECT min(id) FROM sources) FROM vessels WHERE mmsi = 212000001`,
    );
    expect(await count(pool, 'vessel_positions_default')).toBe(1);
    const w = createHistoryWriter({ pool, method: 'copy' });
    await w.writeBatch([pos(212000001, Date.UTC(2022, 5, 1, 11))], []);
    expect(await count(pool, 'vessel_positions_default')).toBe(0);
    const r = await pool.query('SELECT count(*)::int AS n FROM vessel_positions_20220601');
    expect(r.rows[0]).toEqual({ n: 2 });
  });

  it('drops only whole partitions older than the cut; the one straddling it stays; --dry-run drops nothing', async () => {
    const now = Date.now();
    // The cut is now - 2 days by the server's clock, a moment after `now`: still inside the day
    // that starts at `cutDay` (unless the test runs across midnight), so that partition straddles it.
    const cutDay = Math.floor((now - 2 * DAY) / DAY) * DAY;
    const times = [now - 10 * DAY, now - 3 * DAY, cutDay, now];
    const w = createHistoryWriter({ pool, method: 'copy' });
    await w.writeBatch(
      times.map((ts, i) => pos(213000000 + i, ts)),
      [],
    );
    const dayName = (ms: number): string => `vessel_positions_${new Date(ms).toISOString().slice(0, 10).replace(/-/g, '')}`;
    const [tenDays, threeDays, straddling, today] = times.map(dayName);

    const dry = await applyRetention(pool, { keepMs: 2 * DAY, dryRun: true });
    const dropNames = dry.dropped.map((p) => p.name);
    expect(dropNames).toEqual(expect.arrayContaining([tenDays, threeDays, 'vessel_positions_20220601', 'vessel_positions_20230131']));
    expect(dropNames).not.toContain(straddling);
    expect(dropNames).not.toContain(today);
    expect(dry.dryRun).toBe(true);
    expect(await partitions(pool)).toEqual(expect.arrayContaining(dropNames));

    const real = await applyRetention(pool, { keepMs: 2 * DAY });
    expect(real.dropped.map((p) => p.name)).toEqual(dropNames);
    expect(real.dropped.find((p) => p.name === tenDays)?.toMs).toBeLessThanOrEqual(real.cutMs);
    expect(cutDay).toBeLessThanOrEqual(real.cutMs);
    expect(cutDay + DAY).toBeGreaterThan(real.cutMs);
    const left = await partitions(pool);
    expect(left).toEqual(expect.arrayContaining([straddling as string, today as string]));
    for (const name of dropNames) expect(left).not.toContain(name);
    const rows = await pool.query<{ mmsi: number }>(
      'SELECT v.mmsi FROM vessel_positions p JOIN vessels v ON v.id = p.vessel_id WHERE v.mmsi >= 213000000 ORDER BY 1',
    );
    expect(rows.rows.map((r) => r.mmsi)).toEqual([213000002, 213000003]);
  });

  it('compaction rebuilds the primary key of a closed partition packed full, once', async () => {
    const day = Date.UTC(2025, 5, 1);
    const w = createHistoryWriter({ pool, method: 'copy' });
    // As ingest writes: each batch adds one fix to every vessel, so every vessel's stretch of the index grows at once.
    for (let k = 0; k < 20; k++) {
      await w.writeBatch(
        Array.from({ length: 500 }, (_, v) => pos(214000000 + v, day + k * 10_000 + v)),
        [],
      );
    }
    const done = await compactClosedPartitions(pool);
    const c = done.find((d) => d.name === 'vessel_positions_20250601');
    expect(c).toBeDefined();
    expect(c?.indexBytesAfter).toBeLessThan(c?.indexBytesBefore ?? 0);
    expect((await compactClosedPartitions(pool)).map((d) => d.name)).not.toContain('vessel_positions_20250601');
    expect((await pool.query('SELECT count(*)::int AS n FROM vessel_positions_20250601')).rows[0]).toEqual({ n: 10_000 });
  });
});
