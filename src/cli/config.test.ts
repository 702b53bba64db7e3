import { describe, expect, it } from 'vitest';
import { connectionConfig, UsageError } from './config.js';

describe('connectionConfig: Redis Cluster settings', () => {
  it('standalone by default, no bucket setting (the recorded count or the default applies)', () => {
    expect(connectionConfig({}, {})).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', redisCluster: false, redisBuckets: undefined });
  });

  it('a seed list implies a cluster; a single seed needs --redis-cluster or REDIS_CLUSTER', () => {
    expect(connectionConfig({ redisUrl: 'redis://a:7000,b:7001' }, {}).redisCluster).toBe(true);
    expect(connectionConfig({}, { REDIS_URL: 'redis://a:7000,b:7001' }).redisCluster).toBe(true);
    expect(connectionConfig({ redisUrl: 'redis://a:7000', redisCluster: true }, {}).redisCluster).toBe(true);
    expect(connectionConfig({ redisUrl: 'redis://a:7000' }, { REDIS_CLUSTER: '1' }).redisCluster).toBe(true);
    expect(connectionConfig({ redisUrl: 'redis://a:7000' }, { REDIS_CLUSTER: 'true' }).redisCluster).toBe(true);
    expect(connectionConfig({ redisUrl: 'redis://a:7000' }, { REDIS_CLUSTER: '0' }).redisCluster).toBe(false);
  });

  it('--redis-buckets / REDIS_BUCKETS: 1..16384, the flag wins', () => {
    expect(connectionConfig({ redisBuckets: '64' }, {}).redisBuckets).toBe(64);
    expect(connectionConfig({}, { REDIS_BUCKETS: '16' }).redisBuckets).toBe(16);
    expect(connectionConfig({ redisBuckets: '8' }, { REDIS_BUCKETS: '16' }).redisBuckets).toBe(8);
    expect(() => connectionConfig({ redisBuckets: '0' }, {})).toThrow(UsageError);
    expect(() => connectionConfig({}, { REDIS_BUCKETS: '20000' })).toThrow(/REDIS_BUCKETS must be an integer between 1 and 16384/);
  });
});
