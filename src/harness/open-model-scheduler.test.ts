import { describe, expect, it } from 'vitest';
import { buildLoadShape, withWarmup } from './load-shape.js';
import { OpenModelScheduler, PENDING, type SchedulerPhase, type SchedulerTimer, type SendPhase } from './open-model-scheduler.js';

/** A manual clock and timer queue: time moves only when the test says so. */
class FakeTime {
  nowNs = 0;
  private nextId = 1;
  private timers: { id: number; atNs: number; fn: () => void }[] = [];

  readonly clock = (): number => this.nowNs;
  readonly timer: SchedulerTimer = {
    set: (fn, delayMs) => {
      const id = this.nextId++;
      this.timers.push({ id, atNs: this.nowNs + delayMs * 1e6, fn });
      return id;
    },
    clear: (handle) => {
      this.timers = this.timers.filter((t) => t.id !== handle);
    },
  };

  get pending(): number {
    return this.timers.length;
  }

  /** Runs timers in time order until `ms` from now, the clock jumping to each timer's time. */
  advance(ms: number): void {
    const end = this.nowNs + ms * 1e6;
    for (;;) {
      this.timers.sort((a, b) => a.atNs - b.atNs || a.id - b.id);
      const t = this.timers[0];
      if (!t || t.atNs > end) break;
      this.timers.shift();
      this.nowNs = Math.max(this.nowNs, t.atNs);
      t.fn();
    }
    this.nowNs = end;
  }

  /** The event loop is blocked: time passes, no timer fires. */
  block(ms: number): void {
    this.nowNs += ms * 1e6;
  }
}

interface Sent {
  seq: number;
  intendedNs: number;
  issuedNs: number;
  phase: SendPhase;
}

function setup(opts: {
  rate: number;
  durationMs: number;
  warmupMs?: number;
  maxInFlight?: number;
  maxBurst?: number;
  drainTimeoutMs?: number;
  async?: boolean;
  startAtNs?: number;
}) {
  const time = new FakeTime();
  const sent: Sent[] = [];
  const pending: (() => void)[] = [];
  const phases: SchedulerPhase[] = [];
  const spec = { type: 'constant' as const, rate: opts.rate, durationMs: opts.durationMs };
  const shape = buildLoadShape(opts.warmupMs ? withWarmup(spec, opts.warmupMs) : spec);
  const scheduler = new OpenModelScheduler({
    shape,
    warmupMs: opts.warmupMs ?? 0,
    maxInFlight: opts.maxInFlight,
    maxBurst: opts.maxBurst,
    drainTimeoutMs: opts.drainTimeoutMs,
    ...(opts.startAtNs === undefined ? {} : { startAtNs: opts.startAtNs }),
    clock: time.clock,
    timer: time.timer,
    onPhase: (p) => phases.push(p),
    send: (intendedNs, seq, phase) => {
      sent.push({ seq, intendedNs, issuedNs: time.nowNs, phase });
      if (opts.async) return new Promise<void>((resolve) => pending.push(resolve));
    },
  });
  return { time, sent, pending, phases, scheduler, shape };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('OpenModelScheduler', () => {
  it('issues every send at its intended time when nothing is blocked', async () => {
    const { time, sent, scheduler } = setup({ rate: 1000, durationMs: 1000 });
    const done = scheduler.run();
    time.advance(1100);
    const stats = await done;
    expect(sent).toHaveLength(1000);
    expect(sent.map((s) => s.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // intended times are exact multiples of 1 ms from the start
    expect(sent[500]?.intendedNs).toBe(500e6);
    expect(stats.measure).toMatchObject({ issued: 1000, late: 0, dropped: 0, completed: 1000, failed: 0 });
    expect(stats.phase).toBe('done');
    expect(stats.stoppedEarly).toBe(false);
  });

  it('starts at an agreed clock value, so another thread can compute every intended time', async () => {
    const { time, sent, scheduler, shape } = setup({ rate: 1000, durationMs: 100, startAtNs: 30e6 });
    const done = scheduler.run();
    time.advance(20);
    expect(sent).toHaveLength(0);
    expect(scheduler.stats().elapsedMs).toBe(0);
    time.advance(200);
    const stats = await done;
    expect(sent).toHaveLength(100);
    for (const s of sent) expect(s.intendedNs).toBe(30e6 + (shape.timeOfSend(s.seq) ?? NaN) * 1e6);
    expect(stats.measure).toMatchObject({ issued: 100, late: 0 });
  });

  it('after a blocked event loop, catches up in a burst and counts sends late beyond the 2 ms tolerance', async () => {
    const { time, sent, scheduler } = setup({ rate: 1000, durationMs: 200 });
    const done = scheduler.run(); // send 0 at t=0
    time.block(50);
    time.advance(0); // the loop wakes up at t=50 ms
    expect(sent).toHaveLength(51);
    // every caught-up send keeps its intended time: latency measured from it includes the 50 ms stall
    const s1 = sent[1];
    expect(s1?.intendedNs).toBe(1e6);
    expect((s1?.issuedNs ?? 0) - (s1?.intendedNs ?? 0)).toBe(49e6);
    // lag > 2 ms for sends intended at 1..47 ms
    expect(scheduler.stats().measure.late).toBe(47);
    expect(scheduler.stats().measure.maxLagMs).toBe(49);
    time.advance(300);
    const stats = await done;
    expect(stats.measure.issued).toBe(200);
    expect(stats.measure.late).toBe(47);
    expect(stats.measure.dropped).toBe(0);
  });

  it('reports how far behind schedule it is while blocked', () => {
    const { time, scheduler } = setup({ rate: 1000, durationMs: 1000 });
    void scheduler.run();
    time.block(20);
    expect(scheduler.stats().behind).toBe(20);
    time.advance(0);
    expect(scheduler.stats().behind).toBe(0);
    scheduler.stop();
  });

  it('drops (and counts) sends when maxInFlight are outstanding, never silently', async () => {
    const { time, sent, pending, scheduler } = setup({ rate: 1000, durationMs: 50, maxInFlight: 10, async: true });
    const done = scheduler.run();
    time.advance(60);
    expect(sent).toHaveLength(10);
    let stats = scheduler.stats();
    expect(stats.inFlight).toBe(10);
    expect(stats.measure.dropped).toBe(40);
    expect(stats.phase).toBe('drain');
    for (const r of pending) r();
    await flush();
    stats = await done;
    expect(stats.measure).toMatchObject({ issued: 10, dropped: 40, completed: 10 });
    expect(stats.maxInFlightSeen).toBe(10);
  });

  it('keeps issuing while earlier sends are still outstanding (open model)', async () => {
    const { time, sent, pending, scheduler } = setup({ rate: 1000, durationMs: 100, async: true });
    const done = scheduler.run();
    time.advance(100);
    expect(sent).toHaveLength(100);
    expect(scheduler.stats().inFlight).toBe(100);
    pending.forEach((r) => r());
    await flush();
    expect((await done).measure.completed).toBe(100);
  });

  it('bursts larger than maxBurst continue on an immediate timer', () => {
    const { time, sent, scheduler } = setup({ rate: 1000, durationMs: 1000, maxBurst: 10 });
    void scheduler.run();
    time.block(100);
    time.advance(0);
    // all 101 due sends are issued, 10 per tick, without time passing
    expect(sent).toHaveLength(101);
    expect(time.nowNs).toBe(100e6);
    scheduler.stop();
  });

  it('splits warm-up from the measured phase and reports phase changes', async () => {
    const { time, sent, scheduler, phases } = setup({ rate: 100, durationMs: 1000, warmupMs: 500 });
    const done = scheduler.run();
    time.advance(2000);
    const stats = await done;
    expect(stats.warmup.issued).toBe(50);
    expect(stats.measure.issued).toBe(100);
    expect(sent.filter((s) => s.phase === 'warmup')).toHaveLength(50);
    expect(sent.find((s) => s.phase === 'measure')?.intendedNs).toBe(500e6);
    expect(phases).toEqual(['warmup', 'measure', 'drain', 'done']);
  });

  it('stop() ends the run early and drains', async () => {
    const { time, sent, scheduler, phases } = setup({ rate: 1000, durationMs: 10_000 });
    const done = scheduler.run();
    time.advance(99);
    scheduler.stop();
    scheduler.stop(); // idempotent
    const stats = await done;
    expect(sent).toHaveLength(100);
    expect(stats.stoppedEarly).toBe(true);
    expect(phases.at(-1)).toBe('done');
    expect(time.pending).toBe(0);
  });

  it('counts failures (throw or reject) and carries on', async () => {
    const time = new FakeTime();
    const errors: number[] = [];
    const scheduler = new OpenModelScheduler({
      shape: buildLoadShape({ type: 'constant', rate: 1000, durationMs: 10 }),
      clock: time.clock,
      timer: time.timer,
      onError: (_e, seq) => errors.push(seq),
      send: (_t, seq) => {
        if (seq === 3) throw new Error('boom');
        if (seq === 5) return Promise.reject(new Error('later boom'));
        return Promise.resolve();
      },
    });
    const done = scheduler.run();
    time.advance(20);
    await flush();
    const stats = await done;
    expect(stats.measure).toMatchObject({ issued: 10, completed: 8, failed: 2 });
    expect(errors.sort()).toEqual([3, 5]);
  });

  it('gives up on sends that never complete after the drain timeout', async () => {
    const { time, scheduler } = setup({ rate: 1000, durationMs: 10, async: true, drainTimeoutMs: 1000 });
    const done = scheduler.run();
    time.advance(20);
    expect(scheduler.phase).toBe('drain');
    time.advance(1000);
    const stats = await done;
    expect(stats.abandoned).toBe(10);
    expect(stats.measure.completed).toBe(0);
  });

  it('an empty shape finishes at once', async () => {
    const time = new FakeTime();
    const scheduler = new OpenModelScheduler({
      shape: buildLoadShape({ type: 'constant', rate: 0, durationMs: 100 }),
      clock: time.clock,
      timer: time.timer,
      send: () => undefined,
    });
    expect((await scheduler.run()).measure.issued).toBe(0);
  });

  it('refuses to run twice', () => {
    const { scheduler } = setup({ rate: 1, durationMs: 1000 });
    void scheduler.run();
    expect(() => scheduler.run()).toThrow(/twice/);
    scheduler.stop();
  });

  it('runs on the real clock and timers (counts only, no timing assertions)', async () => {
    let n = 0;
    const scheduler = new OpenModelScheduler({
      shape: buildLoadShape({ type: 'constant', rate: 2000, durationMs: 200 }),
      send: async () => {
        n++;
        await new Promise((r) => setImmediate(r));
      },
    });
    const stats = await scheduler.run();
    expect(n).toBe(400);
    expect(stats.measure.issued + stats.measure.dropped).toBe(400);
    expect(stats.measure.completed).toBe(400);
  });

  it('keeps a PENDING send in flight until complete(seq), counted in the phase of its intended time', async () => {
    const time = new FakeTime();
    const shape = buildLoadShape(withWarmup({ type: 'constant', rate: 100, durationMs: 100 }, 50));
    const issued: number[] = [];
    const scheduler = new OpenModelScheduler({
      shape,
      warmupMs: 50,
      maxInFlight: 12,
      clock: time.clock,
      timer: time.timer,
      send: (_ns, seq) => {
        issued.push(seq);
        return PENDING;
      },
    });
    let finished = false;
    const done = scheduler.run().then((s) => {
      finished = true;
      return s;
    });
    time.advance(200);
    await flush();
    // 15 sends due, 12 allowed in flight: the rest dropped, and the drain waits for completions.
    expect(issued).toHaveLength(12);
    expect(scheduler.stats()).toMatchObject({
      phase: 'drain',
      inFlight: 12,
      warmup: { issued: 5, completed: 0 },
      measure: { issued: 7, dropped: 3, completed: 0 },
    });
    for (const seq of issued) scheduler.complete(seq);
    const stats = await done;
    expect(finished).toBe(true);
    expect(stats.warmup).toMatchObject({ completed: 5, failed: 0 });
    expect(stats.measure).toMatchObject({ completed: 7, failed: 0 });
  });
});
