import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServers } from '../../harness/local-servers.js';
import type { LocalServers } from '../../harness/local-servers.js';
import type { DeadLetterEntry } from './dead-letter-queue.js';
import { createDependencyBreaker } from '../dependency-breaker.js';
import { createFailoverDeadLetterQueue } from './failover-dead-letter-queue.js';
import { positionRow } from '../../testing/test-rows.js';

let dir: string;
let servers: LocalServers;
let redis: Redis;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aisctl-failover-'));
  servers = await startLocalServers({ dataDir: join(dir, 'servers'), postgres: false, durable: false });
  // Fail fast while disconnected instead of queueing commands: the DLQ has somewhere else to go.
  redis = new Redis(servers.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  redis.on('error', () => undefined);
  await new Promise<void>((res) => redis.once('ready', () => res()));
});
afterAll(async () => {
  redis.disconnect();
  await servers.stop({ removeData: true });
  rmSync(dir, { recursive: true, force: true });
});

const entry = (id: string): DeadLetterEntry => ({
  id,
  target: 'postgres',
  positions: [positionRow(244_000_001, 1_700_000_000_000)],
  statics: [],
  attempts: 0,
  firstFailedAt: 1_000,
  nextAttemptAt: 0,
  lastError: 'down',
});

describe('failover dead-letter queue (Redis you can stop)', () => {
  it('uses Redis when up, the spool while Redis is down, and hands the spool back to Redis', async () => {
    const breaker = createDependencyBreaker('redis', { threshold: 2, halfOpenAfterMs: 200, callTimeoutMs: 2_000 });
    const dlq = createFailoverDeadLetterQueue({ redis, env: 'fo', spool: { dir: join(dir, 'spool') }, breaker, redisTimeoutMs: 1_000 });
    expect(await dlq.enqueue([entry('r1')])).toBe('redis');

    await servers.stopRedis({ kill: true });
    for (let i = 0; i < 5; i++) expect(await dlq.enqueue([entry(`s${i}`)])).toBe('spool');
    expect(breaker.state).toBe('open');
    // stats work during the outage they describe
    expect(await dlq.stats(2_000)).toMatchObject({ spooled: 5, oldestAgeMs: 1_000 });
    await expect(dlq.drainSpool()).rejects.toThrow();
    expect((await dlq.stats(2_000)).spooled).toBe(5);

    await servers.startRedis();
    await expect.poll(async () => (await dlq.drainSpool().catch(() => ({ handedOff: -1 }))).handedOff, { timeout: 15_000, interval: 250 }).toBe(5);
    const s = await dlq.stats(2_000);
    // r1 was written before the SIGKILL; with appendfsync "no" it may or may not have survived
    expect(s.spooled).toBe(0);
    expect(s.pending === 5 || s.pending === 6).toBe(true);
    const ids = (await dlq.claimDue(10, 100, 1_000)).map((e) => e.id).sort();
    expect(ids.filter((id) => id.startsWith('s'))).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(dlq.counts()).toEqual({ toRedis: 1, toSpool: 5 });
    await dlq.close();
  });

  it('a spool folder that cannot be created: stats still answer (spooled 0) and Redis takes the entries', async () => {
    // A folder below a regular file cannot be created, even by root (ENOTDIR).
    writeFileSync(join(dir, 'not-a-dir'), '');
    const dlq = createFailoverDeadLetterQueue({ redis, env: 'fo-nospool', spool: { dir: join(dir, 'not-a-dir', 'spool') }, redisTimeoutMs: 1_000 });
    await expect(dlq.spool.stats()).rejects.toThrow(/ENOTDIR/);
    expect(await dlq.enqueue([entry('n1')])).toBe('redis');
    expect(await dlq.stats(2_000)).toMatchObject({ pending: 1, spooled: 0 });
    await dlq.close();
  });
});
