/**
 * `aisctl vessel MMSI --soft-delete | --restore` (seed 6.1) on the real PostgreSQL, through the
 * built CLI: a soft-deleted vessel disappears from reads (live state in Redis included), keeps its
 * history and its new reports in both stores, and comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { ensureBuilt, jsonOutput, runCli } from '../../testing/cli.js';
import { getVesselState } from '../../store/redis/hot-state-reader.js';
import { deletedKey, keyLayout } from '../../store/redis/key-layout.js';

let db: TestDatabase;
let redis: TestRedis;
let args: string[];
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  db = await createTestDatabase('lifecycle');
  redis = await createTestRedis('lifecycle');
  args = ['--database-url', db.url, '--redis-url', redis.url, '--env', redis.prefix];
  dir = mkdtempSync(join(tmpdir(), 'aisctl-lifecycle-'));
  const r = await runCli(['ingest', 'fixtures/tagblock.nm4', '--json', '--spool-dir', `/tmp/${redis.prefix}`, ...args]);
  expect(r.code).toBe(0);
}, 300_000);

afterAll(async () => {
  await redis?.cleanup();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
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

  it('hides the vessel from the live state too (near, the live part of vessel) while new reports are recorded in both stores, and restore shows them', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      // A vessel of its own, well away from the fixture's, so near's answer is exactly it.
      const mmsi = 257_000_001;
      const file = join(dir, 'one.jsonl');
      const report = (ts: number, lat: number): string =>
        JSON.stringify({
          kind: 'position',
          mmsi,
          ts: new Date(ts).toISOString(),
          lat,
          lon: 10,
          sog: 5,
          cog: 0,
          heading: 0,
          navStatus: 0,
          source: 'x',
          msgType: 1,
        });
      const t0 = Date.now() - 60_000;
      writeFileSync(file, `${report(t0, 70)}\n`);
      expect((await runCli(['ingest', file, '--json', '--spool-dir', join(dir, 'spool'), ...args])).code).toBe(0);
      const nearMmsis = async (): Promise<number[]> =>
        jsonOutput<{ vessels: { mmsi: number }[] }>(await runCli(['near', '70', '10', '--radius', '5km', '--json', ...args])).vessels.map((v) => v.mmsi);
      expect(await nearMmsis()).toEqual([mmsi]);

      expect((await runCli(['vessel', String(mmsi), '--soft-delete', ...args])).code).toBe(0);
      expect(await nearMmsis()).toEqual([]);
      const hidden = jsonOutput<{ softDeleted: boolean; live: unknown; vessel: unknown }>(await runCli(['vessel', String(mmsi), '--json', ...args]));
      expect(hidden).toMatchObject({ softDeleted: true, live: null, vessel: null });
      expect((await runCli(['vessel', String(mmsi), ...args])).stdout).toContain(`vessel ${mmsi} is soft-deleted: hidden from reads, its live state included`);

      // A report while deleted: kept by PostgreSQL and by Redis (newer state), shown by neither.
      writeFileSync(file, `${report(t0 + 30_000, 70.001)}\n`);
      expect((await runCli(['ingest', file, '--json', '--spool-dir', join(dir, 'spool'), ...args])).code).toBe(0);
      const stored = await pool.query<{ n: string }>('SELECT count(*) AS n FROM vessel_positions p JOIN vessels v ON v.id = p.vessel_id WHERE v.mmsi = $1', [
        mmsi,
      ]);
      expect(stored.rows[0]?.n).toBe('2');
      const state = await getVesselState(redis.client, redis.prefix, mmsi, { includeDeleted: true });
      expect(state).toMatchObject({ deleted: true, position: { ts: t0 + 30_000, lat: 70.001 } });
      expect(await nearMmsis()).toEqual([]);

      // A Redis that lost the marks (it keeps nothing on disk here) shows the vessel again until
      // the next pipeline start copies PostgreSQL's deleted list back.
      expect(await redis.client.del(deletedKey(keyLayout(redis.prefix), 0))).toBe(1);
      expect(await nearMmsis()).toEqual([mmsi]);
      expect((await runCli(['ingest', file, '--json', '--spool-dir', join(dir, 'spool'), ...args])).code).toBe(0);
      expect(await nearMmsis()).toEqual([]);

      expect((await runCli(['vessel', String(mmsi), '--restore', ...args])).code).toBe(0);
      expect(await nearMmsis()).toEqual([mmsi]);
      const back = jsonOutput<{ softDeleted: boolean; live: { position: { ts: string; lat: number } }; positions: unknown[] }>(
        await runCli(['vessel', String(mmsi), '--json', ...args]),
      );
      expect(back).toMatchObject({ softDeleted: false, live: { position: { ts: new Date(t0 + 30_000).toISOString(), lat: 70.001 } } });
      expect(back.positions).toHaveLength(2);
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
