/**
 * `aisctl vessel MMSI --soft-delete | --restore` (seed 6.1) on the real PostgreSQL, through the
 * built CLI: a soft-deleted vessel disappears from reads, keeps its history, and comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { ensureBuilt, jsonOutput, runCli } from '../../testing/cli.js';

let db: TestDatabase;
let redis: TestRedis;
let args: string[];

beforeAll(async () => {
  ensureBuilt();
  db = await createTestDatabase('lifecycle');
  redis = await createTestRedis('lifecycle');
  args = ['--database-url', db.url, '--redis-url', redis.url, '--env', redis.prefix];
  const r = await runCli(['ingest', 'fixtures/tagblock.nm4', '--json', '--spool-dir', `/tmp/${redis.prefix}`, ...args]);
  expect(r.code).toBe(0);
}, 300_000);

afterAll(async () => {
  await redis?.cleanup();
  await db?.drop();
});

describe('soft delete', () => {
  it('hides a vessel from reads, keeps its positions, and restores it', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const { rows } = await pool.query<{ mmsi: number; n: string }>(
        'SELECT v.mmsi, count(*) AS n FROM vessels v JOIN vessel_positions p ON p.vessel_id = v.id GROUP BY v.mmsi ORDER BY v.mmsi LIMIT 1',
      );
      const mmsi = String(rows[0]?.mmsi);
      const before = jsonOutput<{ vessel: unknown; positions: unknown[] }>(await runCli(['vessel', mmsi, '--json', ...args]));
      expect(before.vessel).not.toBeNull();

      const del = await runCli(['vessel', mmsi, '--soft-delete', ...args]);
      expect(del.code).toBe(0);
      expect(del.stdout).toContain('soft-deleted');
      const hidden = jsonOutput<{ vessel: unknown; positions: unknown[] }>(await runCli(['vessel', mmsi, '--json', ...args]));
      expect(hidden.vessel).toBeNull();
      expect(hidden.positions).toEqual([]);
      const kept = await pool.query<{ n: string }>('SELECT count(*) AS n FROM vessel_positions p JOIN vessels v ON v.id = p.vessel_id WHERE v.mmsi = $1', [
        Number(mmsi),
      ]);
      expect(kept.rows[0]?.n).toBe(rows[0]?.n);

      const res = await runCli(['vessel', mmsi, '--restore', ...args]);
      expect(res.code).toBe(0);
      const back = jsonOutput<{ vessel: unknown; positions: unknown[] }>(await runCli(['vessel', mmsi, '--json', ...args]));
      expect(back.vessel).not.toBeNull();
      expect(back.positions.length).toBe(before.positions.length);
    } finally {
      await pool.end();
    }
  });

  it('an unknown MMSI is exit 1 with a clear message', async () => {
    const r = await runCli(['vessel', '211000001', '--soft-delete', ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no vessel with MMSI 211000001');
  });
});
