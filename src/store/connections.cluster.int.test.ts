/**
 * `openRedis` against a real 3-node Redis Cluster started by the test (src/testing/redis-cluster.ts)
 * and against ports where nothing listens.
 */
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_CLUSTER_MISSING, redisClusterAvailable, startRedisCluster, type RedisClusterHandle } from '../testing/redis-cluster.js';
import { TEST_REDIS_URL } from '../testing/services.js';
import { DependencyError, openRedis } from './connections.js';

const available = await redisClusterAvailable();
if (!available) console.warn(REDIS_CLUSTER_MISSING);

describe.skipIf(!available)('openRedis on a Redis Cluster', () => {
  let handle: RedisClusterHandle | undefined;

  beforeAll(async () => {
    handle = await startRedisCluster();
  }, 90_000);

  afterAll(async () => {
    await handle?.stop();
  }, 30_000);

  it('a comma-separated seed list opens a Cluster client that knows every master', async () => {
    const c = await openRedis(handle!.url);
    try {
      expect(c.isCluster).toBe(true);
      expect((c as Cluster).nodes('master')).toHaveLength(3);
      await c.set('conn-test:{a}', '1');
      expect(await c.get('conn-test:{a}')).toBe('1');
      // Same as the standalone client: once connected, a command during an outage fails at once.
      expect((c as Cluster).options.enableOfflineQueue).toBe(false);
    } finally {
      c.disconnect();
    }
  });

  it('a single seed with the cluster option discovers the others', async () => {
    const c = await openRedis(handle!.seedUrl, { cluster: true });
    try {
      expect(c.isCluster).toBe(true);
      expect((c as Cluster).nodes('master')).toHaveLength(3);
      expect(await c.get('conn-test:{a}')).toBe('1');
    } finally {
      c.disconnect();
    }
  });

  it('fails fast with one line naming the seeds when no node answers', async () => {
    const err = await openRedis('redis://127.0.0.1:1,127.0.0.1:2', { connectTimeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as Error).message).toMatch(/^cannot reach Redis Cluster seeds 127\.0\.0\.1:1,127\.0\.0\.1:2 \(.*\): start it/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('a standalone server named as a cluster is refused with the reason', async () => {
    const err = await openRedis(TEST_REDIS_URL, { cluster: true, connectTimeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as Error).message).toMatch(/cannot reach Redis Cluster seeds/);
  });
});
