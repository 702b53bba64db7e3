/**
 * The Redis dead-letter queue on a real 3-node Redis Cluster started by the test: its multi-key
 * scripts and MULTI blocks need all its keys in one hash slot, which the `{dlq}` tag gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getVesselState } from '../../store/redis/hot-state-reader.js';
import { createHotStateWriter } from '../../store/redis/hot-state-writer.js';
import type { HistoryStore } from '../../store/store-types.js';
import { REDIS_CLUSTER_MISSING, redisClusterAvailable, startRedisCluster, type RedisClusterHandle } from '../../testing/redis-cluster.js';
import type { DeadLetterEntry } from './dead-letter-queue.js';
import { createDlqReplayer } from './dlq-replayer.js';
import { createFailoverDeadLetterQueue } from './failover-dead-letter-queue.js';
import { createRedisDeadLetterQueue, redisDeadLetterKeys } from './redis-dead-letter-queue.js';
import { positionRow, staticRow } from '../../testing/test-rows.js';

const available = await redisClusterAvailable();
if (!available) console.warn(REDIS_CLUSTER_MISSING);

function entry(id: string, over: Partial<DeadLetterEntry> = {}): DeadLetterEntry {
  return {
    id,
    target: 'redis',
    positions: [positionRow(244_000_001, 1_700_000_000_000)],
    statics: [staticRow(244_000_001, 1_700_000_000_000)],
    attempts: 0,
    firstFailedAt: 1_000,
    nextAttemptAt: 2_000,
    lastError: 'Error: down',
    ...over,
  };
}

describe.skipIf(!available)('Redis dead-letter queue on a 3-node Redis Cluster', () => {
  let handle: RedisClusterHandle | undefined;
  let cluster: Cluster;
  let spoolDir = '';

  beforeAll(async () => {
    handle = await startRedisCluster();
    cluster = handle.client;
    spoolDir = mkdtempSync(join(tmpdir(), 'aisctl-dlq-cluster-'));
  }, 90_000);

  afterAll(async () => {
    await handle?.stop();
    if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
  }, 30_000);

  it('all its keys carry one hash tag and map to one slot; the standalone names are unchanged', async () => {
    const k = redisDeadLetterKeys('prod', 'cluster');
    expect(k).toEqual({
      pending: 'prod:ais:dlq:{dlq}:pending',
      payloads: 'prod:ais:dlq:{dlq}:entries',
      first: 'prod:ais:dlq:{dlq}:first',
      parked: 'prod:ais:dlq:{dlq}:parked',
      parkedPayloads: 'prod:ais:dlq:{dlq}:parked:entries',
    });
    const slots = await Promise.all(Object.values(k).map((key) => cluster.call('CLUSTER', 'KEYSLOT', key)));
    expect(new Set(slots).size).toBe(1);
    expect(redisDeadLetterKeys('prod').pending).toBe('prod:ais:dlq');
  });

  it('adds idempotently, claims under a lease, completes, reschedules, parks, requeues and purges', async () => {
    const q = createRedisDeadLetterQueue({ redis: cluster, env: 'c1' });
    await q.enqueue([entry('late', { nextAttemptAt: 9_000 }), entry('early', { nextAttemptAt: 1_500 }), entry('mid')]);
    await q.enqueue([entry('mid', { attempts: 7 })]);
    expect(await q.stats(5_000)).toMatchObject({ pending: 3, parked: 0, oldestAgeMs: 4_000 });
    expect((await q.claimDue(5_000, 10, 60_000)).map((e) => e.id)).toEqual(['early', 'mid']);
    expect(await q.claimDue(5_000, 10, 60_000)).toEqual([]);
    await q.complete('early');
    await q.reschedule('mid', [entry('mid.0', { nextAttemptAt: 3_000 }), entry('mid.1', { nextAttemptAt: 3_000 })]);
    await q.park(entry('late', { attempts: 5, lastError: 'final' }), 4_000);
    expect(await q.stats(4_000)).toMatchObject({ pending: 2, parked: 1 });
    expect((await q.listParked(10)).map((e) => e.id)).toEqual(['late']);
    expect(await q.requeueParked(5_000)).toBe(1);
    expect((await q.claimDue(5_000, 10, 1_000)).map((e) => e.id).sort()).toEqual(['late', 'mid.0', 'mid.1']);
    expect(await q.purge('all')).toBe(3);
    expect(await q.stats(0)).toMatchObject({ pending: 0, parked: 0, oldestAgeMs: null });
  });

  it('a corrupt payload is parked, not retried', async () => {
    const k = redisDeadLetterKeys('c2', 'cluster');
    const reasons: string[] = [];
    const q = createRedisDeadLetterQueue({ redis: cluster, env: 'c2', onCorrupt: (id, reason) => reasons.push(`${id}: ${reason}`) });
    await cluster.multi().hset(k.payloads, 'junk', '{"id":').zadd(k.pending, 0, 'junk').exec();
    await q.enqueue([entry('good', { nextAttemptAt: 0 })]);
    expect((await q.claimDue(10, 10, 1_000)).map((e) => e.id)).toEqual(['good']);
    expect(reasons).toEqual([expect.stringContaining('junk: invalid JSON')]);
    expect((await q.stats(0)).parked).toBe(1);
  });

  it('replay writes dead-lettered batches into the cluster hot state; the spool hands off into the cluster queue', async () => {
    const env = 'c3';
    const buckets = 16;
    const hot = createHotStateWriter({ redis: cluster, env, buckets });
    const dlq = createFailoverDeadLetterQueue({ redis: cluster, env, spool: { dir: spoolDir } });
    try {
      const rows = Array.from({ length: 40 }, (_, i) => positionRow(244_100_000 + i, 1_700_000_000_000 + i));
      // One entry straight into Redis, one through the local spool (as during a Redis outage).
      expect(await dlq.enqueue([entry('direct', { positions: rows.slice(0, 20), statics: [], nextAttemptAt: 0 })])).toBe('redis');
      await dlq.spool.append([entry('spooled', { positions: rows.slice(20), statics: [], nextAttemptAt: 0 })]);
      const noHistory: HistoryStore = {
        async writeBatch() {
          throw new Error('no history target in this test');
        },
        async close() {},
      };
      const replayer = createDlqReplayer({ dlq });
      let replayed = 0;
      for (let round = 0; round < 5; round++) replayed += (await replayer.replayOnce({ postgres: noHistory, redis: hot })).replayed;
      expect(replayed).toBe(2);
      expect(await dlq.stats(Date.now())).toMatchObject({ pending: 0, parked: 0, spooled: 0 });
      for (const r of rows) expect((await getVesselState(cluster, env, r.mmsi, { buckets }))?.position?.ts).toBe(r.ts);
    } finally {
      await dlq.close();
    }
  });
});
