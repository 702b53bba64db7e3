/**
 * `aisctl db migrate --partition-interval` and `aisctl db retention` through the built CLI, and
 * doctor's finding on rows in the default partition, on their own test databases.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryWriter } from '../../store/postgres/history-writer.js';
import { inspectPostgres } from '../../store/postgres/inspect.js';
import { createPool } from '../../store/postgres/pool.js';
import type { PositionRow } from '../../store/store-types.js';
import { describeResult, ensureBuilt, jsonOutput, runCli } from '../../testing/cli.js';
import { createTestDatabase, type TestDatabase } from '../../testing/services.js';

const DAY = 86_400_000;

const pos = (mmsi: number, ts: number): PositionRow => ({
  mmsi,
  ts,
  lat: 30_000_000 / 600_000,
  lon: 6_000_000 / 600_000,
  sog: 10,
  cog: 90,
  heading: 90,
  navStatus: 0,
  source: 'rx',
  score: 0.5,
});

interface RetentionJson {
  dryRun: boolean;
  cut: string;
  dropped: { partition: string; from: string; to: string; rowsEstimate: number; bytes: number }[];
  busy: unknown[];
}

let hourly: TestDatabase;
let daily: TestDatabase;
beforeAll(async () => {
  ensureBuilt();
  [hourly, daily] = await Promise.all([createTestDatabase('ret_hourly'), createTestDatabase('ret_daily')]);
}, 300_000);
afterAll(async () => {
  await hourly?.drop();
  await daily?.drop();
});

describe('aisctl db migrate --partition-interval', () => {
  it('records the interval the first time, refuses another one later, and refuses intervals below 1h', async () => {
    const bad = await runCli(['db', 'migrate', '--database-url', hourly.url, '--partition-interval', '30m']);
    expect(bad.code, describeResult(bad)).toBe(1);
    expect(bad.stderr).toContain('--partition-interval 30m is shorter than 1h');

    const first = await runCli(['db', 'migrate', '--database-url', hourly.url, '--partition-interval', '1h', '--json']);
    expect(first.code, describeResult(first)).toBe(0);
    expect(jsonOutput<{ partitionInterval: string }>(first).partitionInterval).toBe('1h');

    const other = await runCli(['db', 'migrate', '--database-url', hourly.url, '--partition-interval', '1d']);
    expect(other.code, describeResult(other)).toBe(1);
    expect(other.stderr).toContain('is already partitioned by 1h');

    const same = await runCli(['db', 'migrate', '--database-url', hourly.url]);
    expect(same.code, describeResult(same)).toBe(0);
    expect(same.stdout).toContain('vessel_positions is partitioned by 1h');
  }, 60_000);
});

describe('aisctl db retention, and doctor on strays', () => {
  let pool: pg.Pool;
  beforeAll(async () => {
    const m = await runCli(['db', 'migrate', '--database-url', daily.url]);
    expect(m.code, describeResult(m)).toBe(0);
    pool = createPool(daily.url, { max: 4 });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
  });

  it('a row whose partition cannot be created in time lands in the default partition, and doctor says so', async () => {
    // A long reader (an export) holds vessel_positions: creating a partition would wait for it.
    const reader = new pg.Client({ connectionString: daily.url });
    await reader.connect();
    try {
      await reader.query('BEGIN');
      await reader.query('LOCK TABLE vessel_positions IN ACCESS SHARE MODE');
      const w = createHistoryWriter({ pool, partitionLockWaitMs: 50 });
      const r = await w.writeBatch([pos(215000001, Date.now() - 20 * DAY)], []);
      expect(r.positionsInserted).toBe(1);
      await reader.query('COMMIT');
    } finally {
      await reader.end();
    }
    const report = await inspectPostgres(daily.url, { timeoutMs: 5_000 });
    expect(report.defaultPartitionRows).toBe(1);
    const warning = report.findings.find((f) => f.level === 'warn' && f.text.includes('vessel_positions_default'));
    expect(warning?.text).toContain('holds 1 rows');
    expect(warning?.text).toContain('aisctl db retention');
  });

  it('--dry-run lists whole partitions older than the cut and drops nothing; then they go, the straddling one stays and is compacted once', async () => {
    const now = Date.now();
    const w = createHistoryWriter({ pool });
    // The day holding the cut (now - 2d by the server's clock, a moment later) straddles it.
    const cutDay = Math.floor((now - 2 * DAY) / DAY) * DAY;
    await w.writeBatch([pos(215000002, now - 10 * DAY), pos(215000003, now - 3 * DAY), pos(215000004, cutDay)], []);
    const day = (ms: number): string => `vessel_positions_${new Date(ms).toISOString().slice(0, 10).replace(/-/g, '')}`;
    const countRows = async (): Promise<number> => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM vessel_positions')).rows[0]?.n);
    expect(await countRows()).toBe(4);

    const dry = await runCli(['db', 'retention', '--database-url', daily.url, '--keep', '2d', '--dry-run', '--json']);
    expect(dry.code, describeResult(dry)).toBe(0);
    const listed = jsonOutput<RetentionJson>(dry);
    expect(listed.dryRun).toBe(true);
    expect(listed.dropped.map((p) => p.partition)).toEqual([day(now - 10 * DAY), day(now - 3 * DAY)]);
    expect(Date.parse(listed.cut)).toBeGreaterThanOrEqual(cutDay);
    expect(Date.parse(listed.cut)).toBeLessThan(cutDay + DAY);
    expect(await countRows()).toBe(4);

    // Not dry: the stray of the default partition (20 days old) first gets a partition of its own, then goes with the rest.
    const real = await runCli(['db', 'retention', '--database-url', daily.url, '--keep', '2d']);
    expect(real.code, describeResult(real)).toBe(0);
    expect(real.stdout).toMatch(new RegExp(`^dropped ${day(now - 20 * DAY)} \\[`, 'm'));
    expect(real.stdout).toMatch(new RegExp(`^dropped ${day(now - 10 * DAY)} \\[.*\\) ~\\d+ rows`, 'm'));
    expect(real.stdout).toContain('3 partition(s) dropped, 0 busy');
    expect(real.stdout).not.toMatch(new RegExp(`^dropped ${day(cutDay)}`, 'm'));
    // The straddling day is over (more than an hour ago): its primary key is rebuilt once.
    expect(real.stdout).toMatch(new RegExp(`^compacted ${day(cutDay)}: primary key `, 'm'));
    const again = await runCli(['db', 'retention', '--database-url', daily.url, '--keep', '2d', '--json']);
    expect(again.code, describeResult(again)).toBe(0);
    expect(jsonOutput<{ dropped: unknown[]; compacted: unknown[] }>(again)).toMatchObject({ dropped: [], compacted: [] });
    const left = await pool.query<{ mmsi: number }>('SELECT v.mmsi FROM vessel_positions p JOIN vessels v ON v.id = p.vessel_id ORDER BY 1');
    expect(left.rows.map((r) => r.mmsi)).toEqual([215000004]);
    const report = await inspectPostgres(daily.url, { timeoutMs: 5_000 });
    expect(report.defaultPartitionRows).toBe(0);
  }, 60_000);

  it('refuses a --keep that is not a duration', async () => {
    const r = await runCli(['db', 'retention', '--database-url', daily.url, '--keep', '90']);
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stderr).toContain('90 is ambiguous');
  });
});
