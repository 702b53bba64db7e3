/**
 * Pipeline unit tests: real fusion lanes, an in-memory sink whose writes the test completes by
 * hand, and fake timers for the linger. Covers batching by size and linger, group commit behind a
 * slow sink, per-message acknowledgements, back-pressure, flush, the hard-stop hand-over and the
 * counters' reconciliation.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FusionLanes } from '../fusion/fusion-lanes.js';
import type { FusionConfig } from '../fusion/fusion-config.js';
import { onTrack, report, T0 } from '../testing/fusion-test-reports.js';
import type { NormalizedMessage, StaticReport } from '../normalize/message.js';
import type { SinkWriteResult } from '../resilience/resilient-sink.js';
import type { PositionRow, VesselStaticRow } from '../store/store-types.js';
import type { BatchSink } from './batch-sink.js';
import { Pipeline, type PipelineCounters } from './pipeline.js';
import type { PipelineConfig } from './pipeline-config.js';

interface SinkCall {
  readonly positions: PositionRow[];
  readonly statics: VesselStaticRow[];
  /** What the pipeline handed hot state (undefined: the sink's default, every position). */
  readonly hot: PositionRow[] | undefined;
  complete(outcome?: Partial<SinkWriteResult>): void;
  fail(err: Error): void;
}

/** Records every write; resolves at once (`auto`) or when the test calls `complete`. */
class MemorySink implements BatchSink {
  readonly calls: SinkCall[] = [];
  constructor(public auto = false) {}

  write(positions: readonly PositionRow[], statics: readonly VesselStaticRow[], hot?: readonly PositionRow[]): Promise<SinkWriteResult> {
    return new Promise((resolve, reject) => {
      const call: SinkCall = {
        positions: [...positions],
        statics: [...statics],
        hot: hot === undefined ? undefined : [...hot],
        complete: (outcome = {}) =>
          resolve({
            postgres: 'ok',
            redis: 'ok',
            history: { positionsInserted: positions.length, positionsUpdated: 0, positionsSkipped: 0, vesselsInserted: 0, deadlocks: 0 },
            hot: { applied: positions.length + statics.length, stale: 0 },
            ...outcome,
          }),
        fail: reject,
      };
      this.calls.push(call);
      if (this.auto) call.complete();
    });
  }

  rows(): number {
    return this.calls.reduce((n, c) => n + c.positions.length + c.statics.length, 0);
  }
}

const CONFIG: PipelineConfig = {
  lanes: 4,
  maxBatch: 3,
  lingerMs: 50,
  maxConcurrentWrites: 4,
  highWaterMessages: 1_000,
  pruneEveryMs: 10_000,
};

function makePipeline(sink: BatchSink, over: Partial<PipelineConfig> = {}, fusion: Partial<FusionConfig> = {}): Pipeline {
  let clock = 0;
  return new Pipeline({ ...CONFIG, ...over }, new FusionLanes({ lanes: over.lanes ?? CONFIG.lanes, config: fusion }), sink, null, () => ++clock);
}

/** Vessel `i`'s report at `s` seconds past T0, on a plausible track. */
function vessel(i: number, s = 0, source = 'a'): NormalizedMessage {
  return onTrack(s * 1000, { mmsi: 244_000_000 + i, source });
}

function staticOf(i: number, s = 0): StaticReport {
  return {
    kind: 'static',
    mmsi: 244_000_000 + i,
    ts: T0 + s * 1000,
    name: `SHIP ${i}`,
    callsign: null,
    imo: null,
    shipType: 70,
    toBow: 10,
    toStern: 10,
    toPort: 2,
    toStarboard: 2,
    draught: 5,
    destination: null,
    source: 'a',
    msgType: 5,
    origin: { file: 'test', line: 0 },
  };
}

/** Lets resolved sink promises run their continuations (fake timers do not block microtasks). */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

/** messages = duplicates + refused + rows, and rows handed over = rows completed. */
function expectReconciled(c: PipelineCounters): void {
  expect(c.submitted).toBe(c.positions + c.statics);
  expect(c.positions).toBe(c.duplicates + c.fusionRejected + c.live + c.history + c.upgrades);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('Pipeline batching', () => {
  it('writes a full batch at once and the remainder after the linger', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxBatch: 3, lingerMs: 50 });
    for (let i = 0; i < 7; i++) p.submit(vessel(i), 0);
    expect(sink.calls.map((c) => c.positions.length)).toEqual([3, 3]);
    await vi.advanceTimersByTimeAsync(49);
    expect(sink.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.calls.map((c) => c.positions.length)).toEqual([3, 3, 1]);
    for (const c of sink.calls) c.complete();
    await settle();
    expect(p.queued).toBe(0);
    expect(p.counters.batches).toBe(3);
    expect(p.counters.completed).toBe(7);
  });

  it('sends what waits as soon as a write completes, without waiting out the linger', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxBatch: 3, lingerMs: 60_000 });
    for (let i = 0; i < 4; i++) p.submit(vessel(i), 0);
    expect(sink.calls).toHaveLength(1);
    sink.calls[0]?.complete();
    await settle();
    expect(sink.calls.map((c) => c.positions.length)).toEqual([3, 1]);
  });

  it('holds a lone message no longer than the linger', async () => {
    const sink = new MemorySink(true);
    const p = makePipeline(sink, { maxBatch: 100, lingerMs: 20 });
    p.submit(vessel(1), 0);
    expect(sink.calls).toHaveLength(0);
    expect(p.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(sink.calls).toHaveLength(1);
    expect(p.queued).toBe(0);
  });

  it('group-commits: rows arriving while the store is busy go out together in the next write', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxConcurrentWrites: 1, maxBatch: 100, lingerMs: 5 });
    p.submit(vessel(0), 0);
    await vi.advanceTimersByTimeAsync(5);
    expect(sink.calls).toHaveLength(1);
    for (let i = 1; i <= 10; i++) p.submit(vessel(i), 0);
    await vi.advanceTimersByTimeAsync(50);
    // The only write slot is taken: nothing else is written, however long the linger.
    expect(sink.calls).toHaveLength(1);
    expect(p.inFlightBatches).toBe(1);
    expect(p.queued).toBe(11);
    sink.calls[0]?.complete();
    await settle();
    expect(sink.calls).toHaveLength(2);
    expect(sink.calls[1]?.positions.map((r) => r.mmsi)).toEqual(Array.from({ length: 10 }, (_, i) => 244_000_001 + i));
  });

  it('with partialWriteSlots 1, a partial batch waits until no write is in flight, full batches take the free slots', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxConcurrentWrites: 3, partialWriteSlots: 1, maxBatch: 4, lingerMs: 5 });
    p.submit(vessel(0), 0);
    await vi.advanceTimersByTimeAsync(5);
    expect(sink.calls).toHaveLength(1);
    for (let i = 1; i <= 2; i++) p.submit(vessel(i), 0);
    await vi.advanceTimersByTimeAsync(50);
    // Two free slots, but the one partial slot is busy: the two rows wait for company.
    expect(sink.calls).toHaveLength(1);
    for (let i = 3; i <= 4; i++) p.submit(vessel(i), 0);
    // Full now: goes out at once on a second slot.
    expect(sink.calls).toHaveLength(2);
    expect(sink.calls[1]?.positions.map((r) => r.mmsi - 244_000_000)).toEqual([1, 2, 3, 4]);
    p.submit(vessel(5), 0);
    await vi.advanceTimersByTimeAsync(50);
    expect(sink.calls).toHaveLength(2);
    sink.calls[0]?.complete();
    await settle();
    // The full batch is still in flight: one write in flight is the partial limit.
    expect(sink.calls).toHaveLength(2);
    sink.calls[1]?.complete();
    await settle();
    expect(sink.calls).toHaveLength(3);
    expect(sink.calls[2]?.positions.map((r) => r.mmsi - 244_000_000)).toEqual([5]);
    sink.calls[2]?.complete();
    await p.flush();
    expect(p.counters.completed).toBe(6);
  });

  it('splits a backlog larger than a batch oldest first', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxConcurrentWrites: 1, maxBatch: 4, lingerMs: 5 });
    p.submit(vessel(0), 0);
    await vi.advanceTimersByTimeAsync(5);
    for (let i = 1; i <= 10; i++) p.submit(vessel(i), 0);
    const written: number[][] = [];
    for (let k = 0; k < 4; k++) {
      const call = sink.calls[k];
      expect(call, `write ${k}`).toBeDefined();
      written.push(call?.positions.map((r) => r.mmsi - 244_000_000) ?? []);
      call?.complete();
      await settle();
    }
    expect(written).toEqual([[0], [1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
    expect(p.queued).toBe(0);
  });

  it('sends statics beside positions, in the same batch', async () => {
    const sink = new MemorySink(true);
    const p = makePipeline(sink, { maxBatch: 10 });
    p.submit(vessel(1), 0);
    p.submit(staticOf(1), 0);
    await p.flush();
    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0]?.positions).toHaveLength(1);
    expect(sink.calls[0]?.statics.map((s) => s.name)).toEqual(['SHIP 1']);
    expect(p.counters).toMatchObject({ statics: 1, positions: 1, completed: 2 });
  });
});

describe('Pipeline acknowledgements', () => {
  it('calls done exactly once per message: duplicates and refusals at once, the rest when durable', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxBatch: 100 });
    const calls = new Map<string, boolean[]>();
    const done = (id: string) => (durable: boolean) => calls.set(id, [...(calls.get(id) ?? []), durable]);

    p.submit(vessel(1), 0, done('first'));
    p.submit(vessel(1), 0, done('duplicate')); // the same transmission again, same source
    p.submit(report({ mmsi: 0 }), 0, done('invalid')); // unusable MMSI: refused by fusion
    p.submit(staticOf(1), 0, done('static'));
    expect(Object.fromEntries(calls)).toEqual({ duplicate: [true], invalid: [true] });
    expect(p.counters).toMatchObject({ duplicates: 1, fusionRejected: 1, live: 1, statics: 1 });

    const flushed = p.flush();
    expect(sink.calls).toHaveLength(1);
    expect(calls.has('first')).toBe(false);
    sink.calls[0]?.complete();
    await flushed;
    await settle();
    expect(Object.fromEntries(calls)).toEqual({ duplicate: [true], invalid: [true], first: [true], static: [true] });
    expectReconciled(p.counters);
  });

  it('reports a failed sink call as not durable, once per message, and keeps going', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxBatch: 2 });
    const failures: Array<[string, number]> = [];
    p.onFailure((error, messages) => failures.push([error, messages]));
    const acks: Array<[number, boolean]> = [];
    for (let i = 0; i < 4; i++) p.submit(vessel(i), 0, (d) => acks.push([i, d]));
    expect(p.failure).toBeNull();
    sink.calls[0]?.fail(new Error('sink bug'));
    await settle();
    expect(p.failing).toBe(true);
    sink.calls[1]?.complete();
    await settle();
    expect(acks.sort((a, b) => a[0] - b[0])).toEqual([
      [0, false],
      [1, false],
      [2, true],
      [3, true],
    ]);
    expect(p.counters).toMatchObject({ sinkErrors: 1, notStored: 2, completed: 2 });
    expect(failures).toEqual([['batch write failed: sink bug', 2]]);
    expect(p.failure).toMatchObject({ error: 'batch write failed: sink bug', batches: 1, messages: 2 });
    // An accepted batch after the failure clears `failing`; the first failure stays on record.
    expect(p.failing).toBe(false);
    expect(p.queued).toBe(0);
  });

  it('a lost part makes the batch not durable but still counts what reached the other store', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxBatch: 2 });
    const acks: boolean[] = [];
    for (let i = 0; i < 2; i++) p.submit(vessel(i), 0, (d) => acks.push(d));
    const lostError = new Error('could not write the redis part of a batch (ECONNREFUSED) nor dead-letter it (ENOSPC)');
    sink.calls[0]?.complete({ redis: 'lost', hot: undefined, lost: { redis: lostError as never } });
    await settle();
    expect(acks).toEqual([false, false]);
    expect(p.counters).toMatchObject({ completed: 0, notStored: 2, sinkErrors: 1, lostRedis: 1, lostPostgres: 0, positionsInserted: 2 });
    expect(p.failure?.error).toContain('ENOSPC');
    expect(p.failing).toBe(true);
  });

  it('tells completion listeners each message with its start time', async () => {
    const sink = new MemorySink(true);
    const p = makePipeline(sink, { maxBatch: 100 });
    const starts: number[] = [];
    p.onCompletion((start) => starts.push(start));
    p.submit(vessel(1), 100);
    p.submit(vessel(2), 200);
    p.submit(vessel(2), 300); // duplicate: nothing to write, so nothing completes later
    await p.flush();
    expect(starts.sort()).toEqual([100, 200]);
  });

  it('accounts the sink outcome: store counts and dead-lettered parts', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxBatch: 2 });
    const outcomes: number[] = [];
    p.onBatch((_, rows) => outcomes.push(rows));
    for (let i = 0; i < 4; i++) p.submit(vessel(i), 0);
    sink.calls[0]?.complete({ history: { positionsInserted: 1, positionsUpdated: 0, positionsSkipped: 1, vesselsInserted: 2, deadlocks: 1 } });
    sink.calls[1]?.complete({ postgres: 'dead-lettered', history: undefined, redis: 'dead-lettered', hot: undefined });
    await settle();
    expect(p.counters).toMatchObject({
      positionsInserted: 1,
      positionsUnchanged: 1,
      vesselsInserted: 2,
      deadlocks: 1,
      deadLetteredPostgres: 1,
      deadLetteredRedis: 1,
      redisApplied: 2,
      completed: 4,
    });
    expect(outcomes).toEqual([2, 2]);
  });
});

describe('Pipeline hot-state rows', () => {
  it('hands hot state only the newest live row per vessel of a batch, and counts the rest as stale', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxBatch: 10, lingerMs: 50 });
    p.submit(vessel(1, 0), 0);
    p.submit(vessel(1, 10), 0);
    p.submit(vessel(2, 10), 0);
    p.submit(vessel(1, 20), 0);
    p.submit(vessel(2, 5), 0); // older than vessel 2's live report: history only
    await vi.advanceTimersByTimeAsync(50);
    const call = sink.calls[0];
    expect(call?.positions).toHaveLength(5);
    expect(call?.hot?.map((r) => [r.mmsi - 244_000_000, (r.ts - T0) / 1000])).toEqual([
      [1, 20],
      [2, 10],
    ]);
    call?.complete({ hot: { applied: 2, stale: 0 } });
    await settle();
    expect(p.counters).toMatchObject({ redisApplied: 2, redisStale: 3, history: 1, live: 4 });
  });

  it("acknowledges through one shared function with each message's tag and start time", async () => {
    const sink = new MemorySink(true);
    const p = makePipeline(sink, { maxBatch: 2 });
    const acks: Array<[boolean, number, number]> = [];
    const done = (durable: boolean, tag: number, startMs: number): void => void acks.push([durable, tag, startMs]);
    p.submit(vessel(1), 100, done, 7);
    p.submit(vessel(1), 150, done, 8); // duplicate: acknowledged at once
    p.submit(vessel(2), 200, done, 9);
    await p.flush();
    expect(acks).toEqual([
      [true, 8, 150],
      [true, 7, 100],
      [true, 9, 200],
    ]);
  });
});

describe('Pipeline back-pressure, flush and hard stop', () => {
  it('is saturated at the high-water mark and drains under half of it', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { highWaterMessages: 10, maxConcurrentWrites: 1, maxBatch: 4 });
    await expect(p.drained()).resolves.toBeUndefined();
    for (let i = 0; i < 10; i++) p.submit(vessel(i), 0);
    expect(p.saturated).toBe(true);
    let drained = false;
    void p.drained().then(() => (drained = true));
    sink.calls[0]?.complete();
    await settle();
    expect(p.queued).toBe(6);
    expect(drained).toBe(false);
    sink.calls[1]?.complete();
    await settle();
    expect(p.queued).toBe(2);
    expect(drained).toBe(true);
    expect(p.saturated).toBe(false);
  });

  it('flush writes what is pending without waiting for the linger and resolves when all is durable', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxBatch: 100, lingerMs: 60_000 });
    await expect(p.flush()).resolves.toBeUndefined();
    for (let i = 0; i < 5; i++) p.submit(vessel(i), 0);
    let flushed = false;
    const f = p.flush().then(() => (flushed = true));
    expect(sink.calls).toHaveLength(1);
    await settle();
    expect(flushed).toBe(false);
    sink.calls[0]?.complete();
    await f;
    expect(p.queued).toBe(0);
  });

  it('close stops intake after writing everything', async () => {
    const sink = new MemorySink(true);
    const p = makePipeline(sink);
    p.submit(vessel(1), 0);
    await p.close();
    expect(sink.rows()).toBe(1);
    expect(() => p.submit(vessel(2), 0)).toThrow(/closed/);
  });

  it('takePending hands over the rows not yet written; in-flight batches still complete', async () => {
    const sink = new MemorySink();
    const p = makePipeline(sink, { maxConcurrentWrites: 1, maxBatch: 2, lingerMs: 5 });
    for (let i = 0; i < 5; i++) p.submit(vessel(i), 0);
    p.submit(staticOf(9), 0);
    expect(sink.calls).toHaveLength(1);
    const taken = p.takePending();
    expect(taken.messages).toBe(4);
    expect(taken.positions.map((r) => r.mmsi - 244_000_000)).toEqual([2, 3, 4]);
    expect(taken.statics.map((s) => s.mmsi - 244_000_000)).toEqual([9]);
    expect(() => p.submit(vessel(7), 0)).toThrow(/closed/);
    expect(p.queued).toBe(2);
    sink.calls[0]?.complete();
    await settle();
    await vi.advanceTimersByTimeAsync(100);
    // Nothing taken is written twice: the sink saw only the batch that was in flight.
    expect(sink.calls).toHaveLength(1);
    expect(p.counters.completed).toBe(2);
    expect(p.queued).toBe(0);
    expect(p.takePending().messages).toBe(0);
  });
});

describe('Pipeline counters', () => {
  const msg = fc.oneof(
    // position of one of 6 vessels at one of 40 ten-second slots, from one of two receivers
    fc.record({
      kind: fc.constant('position' as const),
      v: fc.integer({ min: 0, max: 5 }),
      slot: fc.integer({ min: 0, max: 40 }),
      source: fc.constantFrom('a', 'b'),
    }),
    fc.record({ kind: fc.constant('static' as const), v: fc.integer({ min: 0, max: 5 }), slot: fc.integer({ min: 0, max: 40 }), source: fc.constant('a') }),
    fc.record({ kind: fc.constant('invalid' as const), v: fc.constant(0), slot: fc.integer({ min: 0, max: 40 }), source: fc.constant('a') }),
  );

  it('reconcile for any input: every message is a duplicate, a refusal or a row, and every row is written once', async () => {
    vi.useRealTimers();
    await fc.assert(
      fc.asyncProperty(fc.array(msg, { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), async (msgs, maxBatch) => {
        const sink = new MemorySink(true);
        const p = makePipeline(sink, { maxBatch, maxConcurrentWrites: 2, highWaterMessages: 16 }, { sourceWeights: { a: 0.5, b: 1 } });
        const acks = new Map<number, number>();
        for (const [i, m] of msgs.entries()) {
          const done = (): void => void acks.set(i, (acks.get(i) ?? 0) + 1);
          if (m.kind === 'position') p.submit(vessel(m.v, m.slot * 10, m.source), 0, done);
          else if (m.kind === 'static') p.submit(staticOf(m.v, m.slot * 10), 0, done);
          else p.submit(report({ mmsi: 0, ts: T0 + m.slot * 10_000 }), 0, done);
          if (p.saturated) await p.drained();
        }
        await p.flush();
        const c = p.counters;
        expectReconciled(c);
        expect(c.submitted).toBe(msgs.length);
        const rows = c.live + c.history + c.upgrades + c.statics;
        expect(sink.rows()).toBe(rows);
        expect(c.completed).toBe(rows);
        expect(c.positionsInserted).toBe(c.live + c.history + c.upgrades);
        expect(acks.size).toBe(msgs.length);
        expect([...acks.values()].every((n) => n === 1)).toBe(true);
        expect(p.queued).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});
