import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRedis } from '../../testing/services.js';
import type { TestRedis } from '../../testing/services.js';
import type { DeadLetterEntry } from './dead-letter-queue.js';
import { createDlqReplayer } from './dlq-replayer.js';
import { createFakeHot } from '../../testing/fake-stores.js';
import { createRedisDeadLetterQueue, redisDeadLetterKeys } from './redis-dead-letter-queue.js';
import { positionRow, staticRow } from '../../testing/test-rows.js';
import type { HistoryStore } from '../../store/store-types.js';

let t: TestRedis;
beforeAll(async () => {
  t = await createTestRedis('dlq');
});
afterAll(async () => {
  await t.cleanup();
});

function entry(id: string, over: Partial<DeadLetterEntry> = {}): DeadLetterEntry {
  return {
    id,
    target: 'postgres',
    positions: [positionRow(244_000_001, 1_700_000_000_000, { lat: 12.345678901234 })],
    statics: [staticRow(244_000_001, 1_700_000_000_000)],
    attempts: 0,
    firstFailedAt: 1_000,
    nextAttemptAt: 2_000,
    lastError: 'Error: down',
    ...over,
  };
}

describe('Redis dead-letter queue (real Redis, own prefix)', () => {
  it('adds idempotently, claims due entries in due order under a lease, completes', async () => {
    const env = `${t.prefix}_a`;
    const q = createRedisDeadLetterQueue({ redis: t.client, env });
    await q.enqueue([entry('late', { nextAttemptAt: 9_000 }), entry('early', { nextAttemptAt: 1_500 }), entry('mid')]);
    await q.enqueue([entry('mid', { attempts: 7 })]); // same id again: ignored
    expect(await q.stats(5_000)).toMatchObject({ pending: 3, parked: 0, oldestAgeMs: 4_000 });

    const claimed = await q.claimDue(5_000, 10, 60_000);
    expect(claimed.map((e) => e.id)).toEqual(['early', 'mid']);
    expect(claimed[1]?.attempts).toBe(0);
    expect(claimed[0]).toEqual(entry('early', { nextAttemptAt: 1_500 }));
    // leased: a second replayer sees nothing due until the lease ends
    expect(await q.claimDue(5_000, 10, 60_000)).toEqual([]);
    expect((await q.claimDue(65_000, 10, 60_000)).map((e) => e.id)).toEqual(['late', 'early', 'mid']); // by due time: 9 000, then the leases ending at 65 000

    await q.complete('early');
    expect((await q.stats(0)).pending).toBe(2);
    expect(await t.client.type(redisDeadLetterKeys(env).pending)).toBe('zset');
    expect(await t.client.exists(`${env}:ais:dlq`)).toBe(1);
    expect(() => redisDeadLetterKeys('a:b')).toThrow(/invalid Redis environment prefix/);
  });

  it('reschedules, parks, lists, requeues and purges', async () => {
    const env = `${t.prefix}_b`;
    const q = createRedisDeadLetterQueue({ redis: t.client, env });
    await q.enqueue([entry('a'), entry('b')]);
    await q.reschedule('a', [entry('a.0', { nextAttemptAt: 3_000 }), entry('a.1', { nextAttemptAt: 3_000 })]);
    await q.park(entry('b', { attempts: 5, lastError: 'final' }), 4_000);
    await q.enqueue([entry('b')]); // a parked id is not re-added by a late hand-off
    expect(await q.stats(4_000)).toMatchObject({ pending: 2, parked: 1 });
    expect(await q.listParked(10)).toEqual([entry('b', { attempts: 5, lastError: 'final' })]);

    expect(await q.requeueParked(5_000)).toBe(1);
    const due = await q.claimDue(5_000, 10, 1_000);
    expect(due.find((e) => e.id === 'b')).toMatchObject({ attempts: 0, nextAttemptAt: 5_000 });

    await q.park(entry('a.0'), 6_000);
    expect(await q.purge('parked')).toBe(1);
    expect(await q.stats(0)).toMatchObject({ pending: 2, parked: 0 });
    expect(await q.purge('all')).toBe(2);
    expect(await q.stats(0)).toMatchObject({ pending: 0, parked: 0, oldestAgeMs: null });
  });

  it('a corrupt payload is parked with a reason, not retried or thrown', async () => {
    const env = `${t.prefix}_c`;
    const k = redisDeadLetterKeys(env);
    const reasons: string[] = [];
    const q = createRedisDeadLetterQueue({ redis: t.client, env, onCorrupt: (id, reason) => reasons.push(`${id}: ${reason}`) });
    await t.client.multi().hset(k.payloads, 'junk', '{"id":').zadd(k.pending, 0, 'junk').exec();
    await q.enqueue([entry('good', { nextAttemptAt: 0 })]);
    expect((await q.claimDue(10, 10, 1_000)).map((e) => e.id)).toEqual(['good']);
    expect(reasons).toEqual([expect.stringContaining('junk: invalid JSON')]);
    expect((await q.stats(0)).parked).toBe(1);
  });

  it('replay parks an entry after K failures (real Redis queue)', async () => {
    const env = `${t.prefix}_d`;
    const q = createRedisDeadLetterQueue({ redis: t.client, env });
    let now = 10_000;
    let calls = 0;
    const failing: HistoryStore = {
      async writeBatch() {
        calls++;
        throw new TypeError('writer bug');
      },
      async close() {},
    };
    const replayer = createDlqReplayer({ dlq: q, backoff: { baseMs: 100, maxMs: 1_000, maxAttempts: 4 }, clock: () => now, random: () => 1 });
    await q.enqueue([entry('poison', { nextAttemptAt: 0 }), entry('ok', { target: 'redis', nextAttemptAt: 0 })]);
    const hot = createFakeHot();
    for (let round = 0; round < 50; round++) {
      await replayer.replayOnce({ postgres: failing, redis: hot });
      now += 2_000;
    }
    expect(calls).toBe(4);
    expect(hot.latest.size).toBe(1);
    expect(await q.stats(now)).toMatchObject({ pending: 0, parked: 1 });
    const [parked] = await q.listParked(10);
    expect(parked).toMatchObject({ id: 'poison', attempts: 4, lastError: 'TypeError: writer bug' });
  });
});
