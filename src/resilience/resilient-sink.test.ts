import { describe, expect, it, vi } from 'vitest';
import type { DeadLetterQueue } from './dead-letter/dead-letter-queue.js';
import { createDependencyBreakers } from './dependency-breaker.js';
import { createFakeHistory, createFakeHot } from '../testing/fake-stores.js';
import { createMemoryDeadLetterQueue } from '../testing/memory-dead-letter-queue.js';
import { DeadLetterUnavailableError, createResilientSink } from './resilient-sink.js';
import { positionRow, staticRow } from '../testing/test-rows.js';

function setup(dlq: DeadLetterQueue = createMemoryDeadLetterQueue()) {
  const history = createFakeHistory();
  const hot = createFakeHot();
  const breakers = createDependencyBreakers({
    postgres: { threshold: 2, halfOpenAfterMs: 1e9, callTimeoutMs: 0 },
    redis: { threshold: 2, halfOpenAfterMs: 1e9, callTimeoutMs: 0 },
  });
  let n = 0;
  const sink = createResilientSink({ history, hot, dlq, breakers, clock: () => 1_000, newId: () => String(n++) });
  return { history, hot, breakers, sink, dlq };
}

const batch = (i: number) => [[positionRow(1, i), positionRow(2, i)], [staticRow(1, i)]] as const;

describe('resilient sink', () => {
  it('writes both stores in parallel when healthy', async () => {
    const t = setup();
    const r = await t.sink.write(...batch(1));
    expect(r).toMatchObject({ postgres: 'ok', redis: 'ok' });
    expect(r.history?.positionsInserted).toBe(2);
    expect(t.hot.latest.size).toBe(2);
  });

  it('hands Redis only the rows it is given for hot state, and does not call it with nothing to write', async () => {
    const dlq = createMemoryDeadLetterQueue();
    const t = setup(dlq);
    const newest = positionRow(2, 5);
    const r = await t.sink.write([positionRow(1, 4), newest], [], [newest]);
    expect(r).toMatchObject({ postgres: 'ok', redis: 'ok', hot: { applied: 1 } });
    expect(r.history?.positionsInserted).toBe(2);
    expect([...t.hot.latest.keys()]).toEqual([2]);
    const writes = vi.spyOn(t.hot, 'writeBatch');
    const none = await t.sink.write([positionRow(3, 1)], [], []);
    expect(none).toMatchObject({ postgres: 'ok', redis: 'ok', hot: { applied: 0, stale: 0 } });
    expect(writes).not.toHaveBeenCalled();
    // A Redis outage dead-letters only what Redis was to get.
    t.hot.mode = 'unavailable';
    await t.sink.write([positionRow(1, 9), positionRow(2, 9)], [], [positionRow(2, 9)]);
    expect(dlq.pendingEntries().map((e) => [e.target, e.positions.length])).toEqual([['redis', 1]]);
  });

  it('dead-letters only the failing part, then stops calling it once the breaker opens', async () => {
    const dlq = createMemoryDeadLetterQueue();
    const t = setup(dlq);
    t.history.mode = 'unavailable';
    for (let i = 0; i < 5; i++) {
      const r = await t.sink.write(...batch(i));
      expect(r.postgres).toBe('dead-lettered');
      expect(r.redis).toBe('ok');
    }
    expect(t.history.calls).toBe(2);
    expect(t.breakers.postgres.state).toBe('open');
    const pending = dlq.pendingEntries();
    expect(pending).toHaveLength(5);
    expect(pending.every((e) => e.target === 'postgres' && e.positions.length === 2 && e.statics.length === 1)).toBe(true);
    expect(pending[0]).toMatchObject({ id: 'postgres-0', attempts: 0, firstFailedAt: 1_000, nextAttemptAt: 2_000 });
    expect(t.sink.stats()).toMatchObject({ batches: 5, deadLettered: { postgres: 5, redis: 0 }, deadLetteredPositions: { postgres: 10, redis: 0 } });
  });

  it('reports a part as lost (batch not accepted) only when it can neither be written nor dead-lettered', async () => {
    const broken: DeadLetterQueue = { ...createMemoryDeadLetterQueue(), enqueue: () => Promise.reject(new Error('ENOSPC: no space left on device')) };
    const t = setup(broken);
    t.hot.mode = 'unavailable';
    const r = await t.sink.write(...batch(1));
    expect(r.postgres).toBe('ok');
    expect(r.redis).toBe('lost');
    // The healthy part's result is still reported, so the caller can account for it.
    expect(r.history?.positionsInserted).toBe(2);
    const err = r.lost?.redis;
    expect(err).toBeInstanceOf(DeadLetterUnavailableError);
    expect(String(err)).toContain('redis part');
    expect(String(err)).toContain('ENOSPC');
    expect(t.history.rows.size).toBe(2);
    expect(t.sink.stats().refused).toBe(1);
  });

  it('reports both parts lost when both stores and the dead-letter queue fail', async () => {
    const broken: DeadLetterQueue = { ...createMemoryDeadLetterQueue(), enqueue: () => Promise.reject(new Error('ENOTDIR: not a directory')) };
    const t = setup(broken);
    t.hot.mode = 'unavailable';
    t.history.mode = 'unavailable';
    const r = await t.sink.write(...batch(1));
    expect(r).toMatchObject({ postgres: 'lost', redis: 'lost' });
    expect(r.history).toBeUndefined();
    expect(Object.keys(r.lost ?? {}).sort()).toEqual(['postgres', 'redis']);
    expect(t.sink.stats().refused).toBe(2);
  });

  it('an empty batch touches nothing', async () => {
    const t = setup();
    expect(await t.sink.write([], [])).toEqual({ postgres: 'ok', redis: 'ok' });
    expect(t.history.calls).toBe(0);
  });
});
