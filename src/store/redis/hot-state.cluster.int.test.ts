import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_CLUSTER_MISSING, redisClusterAvailable, startRedisCluster, type RedisClusterHandle } from '../../testing/redis-cluster.js';
import type { PositionRow } from '../store-types.js';
import { activeSince, getVesselState, searchNear } from './hot-state-reader.js';
import { createHotStateWriter } from './hot-state-writer.js';
import { measureHotStateMemory } from './hot-state-memory.js';
import { pruneInactive } from './prune-inactive.js';
import { markSoftDeleted } from './soft-delete-marks.js';

/**
 * On its own 3-node Redis Cluster (src/testing/redis-cluster.ts): never the machine's shared
 * server, and only the processes it started are stopped.
 */
const available = await redisClusterAvailable();
if (!available) console.warn(REDIS_CLUSTER_MISSING);
const T0 = Date.UTC(2024, 5, 1);
const pos = (mmsi: number, ts: number, lat: number, lon: number): PositionRow => ({
  mmsi,
  ts,
  lat,
  lon,
  sog: 10,
  cog: 90,
  heading: 90,
  navStatus: 0,
  source: 'c',
  score: 0.5,
});

describe.skipIf(!available)('hot state on a 3-node Redis Cluster', () => {
  let handle: RedisClusterHandle | undefined;
  let cluster: Cluster;

  beforeAll(async () => {
    handle = await startRedisCluster();
    cluster = handle.client;
  }, 90_000);

  afterAll(async () => {
    await handle?.stop();
  }, 30_000);

  it('writes through one script call per bucket (keys of a call share a slot) and reads across all buckets', async () => {
    const buckets = 16;
    const w = createHotStateWriter({ redis: cluster, env: 'clu', buckets });
    const rows = Array.from({ length: 300 }, (_, i) => pos(250_000_000 + i, T0 + i, 40 + i / 1000, 10));
    // Fresh servers have no scripts loaded: this also exercises the NOSCRIPT fallback on every node.
    expect(await w.writeBatch(rows, [])).toEqual({ applied: 300, stale: 0 });
    expect(await w.writeBatch([pos(250_000_005, T0, 0, 0)], [])).toEqual({ applied: 0, stale: 1 });
    expect((await getVesselState(cluster, 'clu', 250_000_005, { buckets }))?.position?.lat).toBeCloseTo(40.005, 6);
    const near = await searchNear(cluster, 'clu', 40, 10, 1000, 5, { buckets });
    expect(near.map((n) => n.mmsi)).toEqual([250_000_000, 250_000_001, 250_000_002, 250_000_003, 250_000_004]);
    expect(await activeSince(cluster, 'clu', T0 + 290, { buckets })).toHaveLength(10);
    expect(await pruneInactive(cluster, 'clu', T0 + 100, { buckets })).toBe(100);
    expect(await activeSince(cluster, 'clu', 0, { buckets })).toHaveLength(200);
    // Soft-delete marks and the age cut of near work per bucket slot too.
    await markSoftDeleted(cluster, 'clu', 250_000_100, true, { buckets });
    expect((await searchNear(cluster, 'clu', 40.1, 10, 1000, 3, { buckets })).map((n) => n.mmsi)).toEqual([250_000_101, 250_000_102, 250_000_103]);
    expect((await searchNear(cluster, 'clu', 40.1, 10, 100_000, 500, { buckets, sinceMs: T0 + 250 })).map((n) => n.mmsi).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => 250_000_250 + i),
    );
    expect((await measureHotStateMemory(cluster, 'clu', { buckets })).vessels).toBe(200);
    // The buckets really are spread over the nodes.
    const nodesWithKeys = await Promise.all(cluster.nodes('master').map((n) => n.dbsize()));
    expect(nodesWithKeys.filter((n) => n > 0).length).toBeGreaterThan(1);
  });
});
