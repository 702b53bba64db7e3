import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis, type TestRedis } from '../../testing/services.js';
import { createHotStateWriter } from './hot-state-writer.js';
import { metaKey } from './key-layout.js';
import { readRecordedBuckets, RedisLayoutError, resolveBuckets } from './layout-meta.js';

let t: TestRedis;
beforeAll(async () => {
  t = await createTestRedis('layout');
});
afterAll(async () => {
  await t?.cleanup();
});

const row = (mmsi: number) => ({ mmsi, ts: 1_700_000_000_000, lat: 51, lon: 4, sog: null, cog: null, heading: null, navStatus: null, source: 's', score: 1 });

describe('recorded bucket count (standalone Redis, own prefix)', () => {
  it('a writer records the default (1 standalone, 64 cluster) at first use; readers never write', async () => {
    const env = `${t.prefix}_a`;
    expect(await resolveBuckets(t.client, env, { cluster: false, record: false })).toBe(1);
    expect(await t.client.exists(metaKey(env))).toBe(0);
    expect(await resolveBuckets(t.client, env, { cluster: false, record: true })).toBe(1);
    expect(await readRecordedBuckets(t.client, env)).toBe(1);
    // Once recorded, the count no longer depends on the client kind.
    expect(await resolveBuckets(t.client, env, { cluster: true, record: false })).toBe(1);

    const env2 = `${t.prefix}_b`;
    expect(await resolveBuckets(t.client, env2, { cluster: true, record: true })).toBe(64);
    expect(await t.client.hget(metaKey(env2), 'buckets')).toBe('64');
  });

  it('an explicit setting that disagrees with the recorded count is refused with the way out', async () => {
    const env = `${t.prefix}_c`;
    expect(await resolveBuckets(t.client, env, { requested: 16, cluster: false, record: true })).toBe(16);
    expect(await resolveBuckets(t.client, env, { requested: 16, cluster: false, record: false })).toBe(16);
    expect(await resolveBuckets(t.client, env, { cluster: false, record: false })).toBe(16);
    const err = await resolveBuckets(t.client, env, { requested: 64, cluster: true, record: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisLayoutError);
    expect((err as Error).message).toMatch(/laid out in 16 buckets .*asks for --redis-buckets 64: drop --redis-buckets .* or pass 16/);
    expect(await readRecordedBuckets(t.client, env)).toBe(16);
  });

  it('data written before the count was recorded (one bucket) is recognised and recorded as 1', async () => {
    const env = `${t.prefix}_d`;
    await createHotStateWriter({ redis: t.client, env }).writeBatch([row(244_000_001), row(244_000_002)], []);
    expect(await t.client.exists(metaKey(env))).toBe(0);
    await expect(resolveBuckets(t.client, env, { requested: 64, cluster: false, record: true })).rejects.toThrow(/laid out in 1 bucket \(/);
    expect(await resolveBuckets(t.client, env, { cluster: true, record: true })).toBe(1);
    expect(await readRecordedBuckets(t.client, env)).toBe(1);
  });

  it('an environment written in layout 1 (one hash per vessel) or recording another layout is refused, not misread', async () => {
    const env = `${t.prefix}_l1`;
    // What layout 1 left: a vessel hash and the bucket's active index.
    await t.client.hset(`${env}:ais:vessel:{0}:244000001`, 't', '1700000000000', 'la', '51', 'lo', '4');
    await t.client.zadd(`${env}:ais:vessels:active:{0}`, 1_700_000_000_000, '244000001');
    for (const record of [false, true])
      await expect(resolveBuckets(t.client, env, { cluster: false, record })).rejects.toThrow(
        new RegExp(`env '${env}' in Redis holds hot state in layout 1 .*this aisctl reads and writes layout 2.*delete the environment's keys and re-ingest`),
      );
    const env2 = `${t.prefix}_l3`;
    await t.client.hset(metaKey(env2), 'buckets', '1', 'layout', '3');
    await expect(resolveBuckets(t.client, env2, { cluster: false, record: false })).rejects.toThrow(/holds hot state in layout 3/);
    // A new environment records the layout with its bucket count.
    const env3 = `${t.prefix}_l2`;
    await resolveBuckets(t.client, env3, { cluster: false, record: true });
    expect(await t.client.hgetall(metaKey(env3))).toEqual({ buckets: '1', layout: '2' });
  });

  it('of two first writers, one records its count and the other adopts it, or is refused when it asked for another', async () => {
    const env = `${t.prefix}_e`;
    const [a, b] = await Promise.all([
      resolveBuckets(t.client, env, { cluster: true, record: true }),
      resolveBuckets(t.client, env, { cluster: false, record: true }),
    ]);
    expect(a).toBe(b);
    expect(await readRecordedBuckets(t.client, env)).toBe(a);

    const env2 = `${t.prefix}_f`;
    const both = await Promise.allSettled([
      resolveBuckets(t.client, env2, { requested: 8, cluster: true, record: true }),
      resolveBuckets(t.client, env2, { requested: 16, cluster: true, record: true }),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(both.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(RedisLayoutError)]);
  });

  it('a corrupt recorded value is an error naming the key to fix', async () => {
    const env = `${t.prefix}_g`;
    await t.client.hset(metaKey(env), 'buckets', 'x');
    await expect(resolveBuckets(t.client, env, { cluster: true, record: true })).rejects.toThrow(/holds 'x', not a bucket count/);
  });
});
