/**
 * The built CLI end to end against a real 3-node Redis Cluster the test starts (plus a test
 * database on the machine's PostgreSQL): ingest, vessel, near, doctor and dlq through
 * `--redis-url host:port,host:port` or one seed with `--redis-cluster`; then the same file into
 * the standalone Redis, which keeps one bucket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestSummary } from '../ingest-summary.js';
import { describeResult, ensureBuilt, jsonOutput, runCli } from '../../testing/cli.js';
import { REDIS_CLUSTER_MISSING, redisClusterAvailable, startRedisCluster, type RedisClusterHandle } from '../../testing/redis-cluster.js';
import { createTestDatabase, createTestRedis, deleteKeysWithPrefix, uniqueSuffix, type TestDatabase, type TestRedis } from '../../testing/services.js';
import type { DoctorReport } from './doctor.js';
import type { VesselView } from './vessel.js';
import { activeSince } from '../../store/redis/hot-state-reader.js';

const available = await redisClusterAvailable();
if (!available) console.warn(REDIS_CLUSTER_MISSING);

interface NearJson {
  count: number;
  vessels: { mmsi: number; distanceMeters: number }[];
}

describe.skipIf(!available)('aisctl on a 3-node Redis Cluster', () => {
  let handle: RedisClusterHandle | undefined;
  let db: TestDatabase | undefined;
  let spool = '';
  const env = `aisctl_clu_${uniqueSuffix()}`;
  let conn: string[];
  let ingest: IngestSummary;
  let vesselCount = 0;

  beforeAll(async () => {
    ensureBuilt();
    handle = await startRedisCluster();
    db = await createTestDatabase('cluster');
    spool = mkdtempSync(join(tmpdir(), 'aisctl-cluster-cli-'));
    conn = ['--redis-url', handle.url, '--database-url', db.url, '--env', env];
    const r = await runCli(['ingest', 'fixtures/tagblock.nm4', '--json', '--no-progress', '--spool-dir', spool, ...conn]);
    expect(r.code, describeResult(r)).toBe(0);
    ingest = jsonOutput<IngestSummary>(r);
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      vesselCount = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM vessels')).rows[0]?.n);
    } finally {
      await pool.end();
    }
  }, 300_000);

  afterAll(async () => {
    if (handle) await deleteKeysWithPrefix(handle.client, `${env}:`).catch(() => undefined);
    await handle?.stop();
    await db?.drop();
    if (spool) rmSync(spool, { recursive: true, force: true });
  }, 60_000);

  it('ingest reconciles, with nothing dead-lettered, and records 64 buckets spread over every master', async () => {
    expect(ingest.reconciled, ingest.reconciliation).toBe(true);
    expect(ingest.stored.redisApplied).toBeGreaterThan(0);
    expect(ingest.stored.deadLetteredBatches).toEqual({ postgres: 0, redis: 0 });
    expect(ingest.stored.dlqRemaining).toBe(0);
    const c = handle!.client;
    expect(await c.hget(`${env}:ais:meta`, 'buckets')).toBe('64');
    const perNode = await Promise.all(c.nodes('master').map(async (n) => (await n.scan('0', 'MATCH', `${env}:ais:{*}:a:*`, 'COUNT', 10_000))[1].length));
    expect(
      perNode.every((keys) => keys > 0),
      `active indexes per master: ${perNode.join(', ')}`,
    ).toBe(true);
  });

  it('vessel and near read back from the cluster (seed list, and one seed with --redis-cluster)', async () => {
    const pool = new pg.Pool({ connectionString: db!.url, max: 1 });
    let mmsi: number;
    let last: { lat: number; lon: number; ts: Date };
    try {
      const { rows } = await pool.query<{ mmsi: number; lat: number; lon: number; ts: Date }>(
        'SELECT v.mmsi, p.lat, p.lon, p.ts FROM vessels v JOIN vessel_positions_decoded p ON p.vessel_id = v.id ORDER BY p.ts DESC, v.mmsi LIMIT 1',
      );
      expect(rows).toHaveLength(1);
      mmsi = rows[0]!.mmsi;
      last = rows[0]!;
    } finally {
      await pool.end();
    }
    for (const redisArgs of [
      ['--redis-url', handle!.url],
      ['--redis-url', handle!.seedUrl, '--redis-cluster'],
    ]) {
      const args = ['--database-url', db!.url, '--env', env, ...redisArgs];
      const v = await runCli(['vessel', String(mmsi), '--json', ...args]);
      expect(v.code, describeResult(v)).toBe(0);
      const view = jsonOutput<VesselView>(v);
      expect(view.live?.position, 'live state from the cluster').not.toBeNull();
      expect(view.live?.position?.ts).toBe(last.ts.toISOString());
      expect(view.live?.position?.lat).toBeCloseTo(last.lat, 5);

      const n = await runCli(['near', String(last.lat), String(last.lon), '--radius', '50km', '--limit', '500', '--json', ...args]);
      expect(n.code, describeResult(n)).toBe(0);
      const near = jsonOutput<NearJson>(n);
      expect(near.vessels[0]?.mmsi).toBe(mmsi);
      expect(near.vessels[0]?.distanceMeters).toBeLessThan(1);
      // Every bucket is queried: the vessels found are spread over many buckets.
      expect(new Set(near.vessels.map((x) => x.mmsi % 64)).size).toBeGreaterThan(1);
    }
  });

  it('doctor reports the cluster, the recorded layout and the live vessels of every bucket', async () => {
    const r = await runCli(['doctor', '--json', ...conn]);
    expect(r.code, describeResult(r)).toBe(0);
    const report = jsonOutput<DoctorReport>(r);
    expect(report.redis).toMatchObject({
      reachable: true,
      mode: 'cluster',
      cluster: { state: 'ok', masters: 3, slotsAssigned: 16_384 },
      buckets: 64,
      deadLetters: { pending: 0, parked: 0 },
    });
    expect(report.redis.liveVessels).toBe(vesselCount);
    expect(report.redis.envKeys).toBeGreaterThan(vesselCount);
  });

  it('dlq stats and replay work on the cluster', async () => {
    const s = await runCli(['dlq', 'stats', '--json', '--spool-dir', spool, ...conn]);
    expect(s.code, describeResult(s)).toBe(0);
    expect(jsonOutput<{ pending: number; parked: number }>(s)).toMatchObject({ pending: 0, parked: 0 });
    const rp = await runCli(['dlq', 'replay', '--json', '--spool-dir', spool, ...conn]);
    expect(rp.code, describeResult(rp)).toBe(0);
    expect(jsonOutput<{ ok: boolean }>(rp).ok).toBe(true);
  });

  it('a bucket count that disagrees with the recorded one is refused in one line, for writers and readers', async () => {
    const v = await runCli(['vessel', '244660001', '--redis-buckets', '8', ...conn]);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/^aisctl: env '.*' in Redis is laid out in 64 buckets .* --redis-buckets 8/m);
    expect(v.stderr).not.toMatch(/^\s+at /m);
    const i = await runCli(['ingest', 'fixtures/tagblock.nm4', '--json', '--no-progress', '--spool-dir', spool, '--redis-buckets', '16', ...conn]);
    expect(i.code).toBe(1);
    expect(i.stderr).toContain('laid out in 64 buckets');
  });

  it('nothing answering at the seeds: one line, exit 1', async () => {
    const r = await runCli(['near', '51', '4', '--redis-url', 'redis://127.0.0.1:1,127.0.0.1:2', '--env', env]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^aisctl: cannot reach Redis Cluster seeds 127\.0\.0\.1:1,127\.0\.0\.1:2 \(/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('aisctl on a standalone Redis: one bucket', () => {
  let redis: TestRedis | undefined;
  let db: TestDatabase | undefined;
  let spool = '';

  beforeAll(async () => {
    ensureBuilt();
    redis = await createTestRedis('standalone');
    db = await createTestDatabase('standalone');
    spool = mkdtempSync(join(tmpdir(), 'aisctl-standalone-cli-'));
  }, 300_000);

  afterAll(async () => {
    await redis?.cleanup();
    await db?.drop();
    if (spool) rmSync(spool, { recursive: true, force: true });
  });

  it('one bucket recorded, all keys in hash tag {0}, reads back', async () => {
    const conn = ['--redis-url', redis!.url, '--database-url', db!.url, '--env', redis!.prefix];
    const r = await runCli(['ingest', 'fixtures/tagblock.nm4', '--json', '--no-progress', '--spool-dir', spool, ...conn]);
    expect(r.code, describeResult(r)).toBe(0);
    expect(jsonOutput<IngestSummary>(r).reconciled).toBe(true);
    const c = redis!.client;
    expect(await c.hget(`${redis!.prefix}:ais:meta`, 'buckets')).toBe('1');
    expect(await c.hget(`${redis!.prefix}:ais:meta`, 'layout')).toBe('2');
    expect(await c.exists(`${redis!.prefix}:ais:{0}:newest`)).toBe(1);
    expect(await c.keys(`${redis!.prefix}:ais:{1}:*`)).toEqual([]);
    const [newest] = await activeSince(c, redis!.prefix, -Infinity, { limit: 1 });
    const mmsi = newest?.mmsi;
    const v = await runCli(['vessel', String(mmsi), '--json', ...conn]);
    expect(v.code, describeResult(v)).toBe(0);
    expect(jsonOutput<VesselView>(v).live?.position).not.toBeNull();
    const d = jsonOutput<DoctorReport>(await runCli(['doctor', '--json', ...conn]));
    expect(d.redis).toMatchObject({ cluster: null, buckets: 1, deadLetters: { pending: 0, parked: 0 } });
  });
});
