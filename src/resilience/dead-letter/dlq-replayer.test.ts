import { describe, expect, it } from 'vitest';
import type { DeadLetterEntry } from './dead-letter-queue.js';
import { createDependencyBreakers } from '../dependency-breaker.js';
import { createDlqReplayer, splitEntry } from './dlq-replayer.js';
import type { ReplayEvent } from './dlq-replayer.js';
import { createFakeHistory, createFakeHot } from '../../testing/fake-stores.js';
import { createMemoryDeadLetterQueue } from '../../testing/memory-dead-letter-queue.js';
import { positionRow } from '../../testing/test-rows.js';

function entry(id: string, n: number, over: Partial<DeadLetterEntry> = {}): DeadLetterEntry {
  return {
    id,
    target: 'postgres',
    positions: Array.from({ length: n }, (_, i) => positionRow(244_000_000 + i, 1_700_000_000_000 + i * 1000)),
    statics: [],
    attempts: 0,
    firstFailedAt: 0,
    nextAttemptAt: 0,
    lastError: 'x',
    ...over,
  };
}

const rejected = () => Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });

function setup() {
  let now = 10_000;
  const dlq = createMemoryDeadLetterQueue();
  const history = createFakeHistory();
  const hot = createFakeHot();
  const events: ReplayEvent[] = [];
  const replayer = createDlqReplayer({
    dlq,
    backoff: { baseMs: 100, maxMs: 1_000, maxAttempts: 3 },
    clock: () => now,
    random: () => 0.5,
    onEvent: (e) => events.push(e),
  });
  const targets = { postgres: history, redis: hot };
  return { dlq, history, hot, replayer, targets, events, advance: (ms: number) => (now += ms), now: () => now };
}

describe('dlq replayer', () => {
  it('replays due entries into their target and forgets them', async () => {
    const t = setup();
    await t.dlq.enqueue([entry('p1', 3), entry('r1', 2, { target: 'redis' }), entry('later', 1, { nextAttemptAt: 1e12 })]);
    const r = await t.replayer.replayOnce(t.targets);
    expect(r).toMatchObject({ claimed: 2, replayed: 2, replayedPositions: 5, parked: 0 });
    expect(t.history.rows.size).toBe(3);
    expect(t.hot.latest.size).toBe(2);
    expect(t.dlq.pendingEntries().map((e) => e.id)).toEqual(['later']);
  });

  it('parks an entry after K counted failures, with backoff between them (no endless loop)', async () => {
    const t = setup();
    t.history.mode = () => new TypeError('bug in writer');
    await t.dlq.enqueue([entry('poison', 1)]);
    const delays: number[] = [];
    for (let round = 0; round < 10; round++) {
      const r = await t.replayer.replayOnce(t.targets);
      for (const e of t.events.splice(0)) if (e.type === 'retry') delays.push(e.nextAttemptAt - t.now());
      if (r.parked > 0) break;
      t.advance(10_000);
    }
    expect(delays).toEqual([50, 100]); // full jitter at 0.5 of 100, 200
    expect(t.dlq.pendingEntries()).toHaveLength(0);
    const [parked] = t.dlq.parkedEntries();
    expect(parked).toMatchObject({ id: 'poison', attempts: 3, lastError: 'TypeError: bug in writer' });
    expect(t.history.calls).toBe(3);
  });

  it('an outage defers without counting attempts and without hammering the dependency', async () => {
    const t = setup();
    t.history.mode = 'unavailable';
    await t.dlq.enqueue([entry('a', 1), entry('b', 1), entry('c', 1)]);
    for (let round = 0; round < 20; round++) {
      await t.replayer.replayOnce(t.targets);
      t.advance(60_000);
    }
    expect(t.dlq.parkedEntries()).toHaveLength(0);
    expect(t.dlq.pendingEntries().every((e) => e.attempts === 0)).toBe(true);
    expect(t.history.calls).toBe(20); // one probe per round, the rest deferred
    t.history.mode = 'none';
    const r = await t.replayer.replayOnce(t.targets);
    expect(r.replayed).toBe(3);
  });

  it('splits a rejected batch until the poison row is isolated and parked; good rows are written', async () => {
    const t = setup();
    const bad = 244_000_005;
    t.history.mode = (ps) => (ps.some((p) => p.mmsi === bad) ? rejected() : null);
    await t.dlq.enqueue([entry('batch', 8)]);
    for (let round = 0; round < 30 && t.dlq.pendingEntries().length > 0; round++) {
      await t.replayer.replayOnce(t.targets);
      t.advance(10_000);
    }
    expect(t.history.rows.size).toBe(7);
    const parked = t.dlq.parkedEntries();
    expect(parked).toHaveLength(1);
    expect(parked[0]?.positions.map((p) => p.mmsi)).toEqual([bad]);
    expect(parked[0]?.attempts).toBe(3);
  });

  it('with breakers, an open circuit defers entries without calling the store', async () => {
    const t = setup();
    const breakers = createDependencyBreakers({ postgres: { threshold: 1, halfOpenAfterMs: 1e9, callTimeoutMs: 0 } });
    const release = breakers.postgres.isolate();
    const replayer = createDlqReplayer({ dlq: t.dlq, breakers, clock: t.now });
    await t.dlq.enqueue([entry('a', 1)]);
    const r = await replayer.replayOnce(t.targets);
    expect(r.deferred).toBe(1);
    expect(t.history.calls).toBe(0);
    release();
  });

  it('entries deferred behind a failure keep that failure as their cause', async () => {
    const t = setup();
    t.history.mode = 'unavailable';
    await t.dlq.enqueue([entry('a', 1, { lastError: 'old' }), entry('b', 1, { lastError: 'old' })]);
    await t.replayer.replayOnce(t.targets);
    expect(t.history.calls).toBe(1);
    expect(t.dlq.pendingEntries().map((e) => e.lastError)).toEqual([
      'Error: connect ECONNREFUSED 127.0.0.1:1 [ECONNREFUSED]',
      'Error: connect ECONNREFUSED 127.0.0.1:1 [ECONNREFUSED]',
    ]);
  });

  it('an open circuit defers with the failure that opened it; one opened by hand leaves the cause as it was', async () => {
    const t = setup();
    const breakers = createDependencyBreakers({ postgres: { threshold: 1, halfOpenAfterMs: 1e9, callTimeoutMs: 0 } });
    const replayer = createDlqReplayer({ dlq: t.dlq, breakers, clock: t.now, random: () => 0.5 });
    t.history.mode = () => Object.assign(new Error('prepared statement "q1" already exists'), { code: '42P05', severity: 'ERROR' });
    await t.dlq.enqueue([entry('a', 1)]);
    await replayer.replayOnce(t.targets);
    expect(t.dlq.pendingEntries()[0]?.lastError).toBe('42P05 prepared statement "q1" already exists');
    t.advance(60_000);
    await replayer.replayOnce(t.targets);
    expect(t.history.calls).toBe(1);
    expect(t.dlq.pendingEntries()[0]?.lastError).toBe(
      'BreakerOpenError: postgres circuit breaker is open (last failure: 42P05 prepared statement "q1" already exists)',
    );

    const isolated = createDependencyBreakers();
    const release = isolated.postgres.isolate();
    const t2 = setup();
    await t2.dlq.enqueue([entry('b', 1, { lastError: 'the real cause' })]);
    await createDlqReplayer({ dlq: t2.dlq, breakers: isolated, clock: t2.now }).replayOnce(t2.targets);
    expect(t2.dlq.pendingEntries()[0]).toMatchObject({ id: 'b', attempts: 0, lastError: 'the real cause' });
    release();
  });

  it('split keeps ids unique and rows complete', () => {
    const e = { ...entry('e', 3), statics: [] };
    const [a, b] = splitEntry(e, 5, 'err');
    expect(a?.id).toBe('e.0');
    expect(b?.id).toBe('e.1');
    expect([...(a?.positions ?? []), ...(b?.positions ?? [])]).toEqual(e.positions);
    expect(a?.nextAttemptAt).toBe(5);
  });

  it('the background loop replays and stops cleanly', async () => {
    const t = setup();
    const replayer = createDlqReplayer({ dlq: t.dlq, idleMs: 5 });
    await t.dlq.enqueue([entry('a', 2, { nextAttemptAt: 0 })]);
    replayer.start(t.targets);
    for (let i = 0; i < 200 && t.dlq.pendingEntries().length > 0; i++) await new Promise((r) => setTimeout(r, 5));
    await replayer.stop();
    expect(t.history.rows.size).toBe(2);
    expect(replayer.totals().replayed).toBe(1);
    expect(await replayer.purge('all')).toBe(0);
  });
});
