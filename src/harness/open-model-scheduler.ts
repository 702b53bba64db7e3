/**
 * Open-model scheduler (as in wrk2 and k6's arrival-rate executors): sends fire at the times the
 * load shape intends, whether or not earlier sends have completed. Callers measure latency from
 * the *intended* time handed to `send`, so time spent waiting behind a stalled pipeline or a
 * blocked event loop shows up in the figures instead of silently lowering the offered load
 * (coordinated omission).
 *
 * Each tick issues every send whose intended time has passed, so after the event loop was blocked
 * the scheduler catches up in a burst; sends issued more than `lateToleranceMs` after their
 * intended time are counted as `late`. When `maxInFlight` sends are outstanding, a due send is not
 * issued and is counted as `dropped`: memory stays bounded and the loss is visible, never silent.
 *
 * Clock and timer are injectable so tests can drive the scheduler deterministically.
 */
import type { LoadShape } from './load-shape.js';

/** Monotonic clock in nanoseconds (a double: exact to the ns for 104 days from its origin). */
export type NsClock = () => number;

/** Creates a clock reading `process.hrtime.bigint()` relative to now, so values stay small and exact. */
export function createMonotonicClock(): NsClock {
  const origin = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - origin);
}

export interface SchedulerTimer {
  /** Calls `fn` after `delayMs`; 0 means "as soon as pending I/O has been processed". */
  set(fn: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

/** setTimeout for real waits, setImmediate to continue a burst after letting I/O callbacks run. */
export const realTimer: SchedulerTimer = {
  set(fn, delayMs) {
    return delayMs <= 0 ? { immediate: setImmediate(fn) } : { timeout: setTimeout(fn, delayMs) };
  },
  clear(handle) {
    const h = handle as { immediate?: NodeJS.Immediate; timeout?: NodeJS.Timeout };
    if (h.immediate) clearImmediate(h.immediate);
    if (h.timeout) clearTimeout(h.timeout);
  },
};

export type SchedulerPhase = 'warmup' | 'measure' | 'drain' | 'done';
export type SendPhase = 'warmup' | 'measure';

/**
 * `intendedTimeNs` is on the scheduler's clock; record latency as `clock() - intendedTimeNs` when
 * the work is acknowledged. `phase` says whether the send belongs to warm-up (ignore it in figures).
 */
export type SendFn = (intendedTimeNs: number, seq: number, phase: SendPhase) => void | Promise<void> | typeof PENDING;

/**
 * What `send` returns for a send that stays in flight until `complete(seq)` is called: the way to
 * finish sends in bulk (a report from another thread) without a promise per send.
 */
export const PENDING: unique symbol = Symbol('pending send');

export interface OpenModelOptions {
  readonly shape: LoadShape;
  readonly send: SendFn;
  /** The first `warmupMs` of the shape are warm-up (see `withWarmup` in load-shape.ts). */
  readonly warmupMs?: number;
  /**
   * Default 2 ms. Timers in Node have a 1 ms granularity and fire up to about a millisecond late on
   * a busy machine, so a send due just after a tick routinely waits ~1-2 ms. Counting that as late
   * would flag nearly every send at 10k/s and make the count meaningless; two ticks separates timer
   * granularity from real backlog. The wait is still inside the measured latency either way.
   */
  readonly lateToleranceMs?: number;
  /** Outstanding sends allowed before due sends are dropped. Default 50,000. */
  readonly maxInFlight?: number;
  /** Sends issued in one go before yielding to I/O (completions) and continuing. Default 2,000. */
  readonly maxBurst?: number;
  /** How long to wait for outstanding sends after the last one (or `stop()`). Default 30 s. */
  readonly drainTimeoutMs?: number;
  readonly clock?: NsClock;
  /**
   * Clock value the schedule starts at, instead of the moment `run()` is called: a receiver in
   * another thread that agreed on it computes every intended time itself, without being told.
   */
  readonly startAtNs?: number;
  readonly timer?: SchedulerTimer;
  readonly onPhase?: (phase: SchedulerPhase) => void;
  /** A send threw or rejected; the scheduler counts it and carries on. */
  readonly onError?: (error: unknown, seq: number) => void;
}

export interface PhaseCounters {
  /** Sends issued to `send`. */
  issued: number;
  /** Issued more than the tolerance after their intended time. */
  late: number;
  /** Due but not issued because `maxInFlight` were outstanding. */
  dropped: number;
  completed: number;
  failed: number;
  /** Largest gap between intended and actual issue time, ms. */
  maxLagMs: number;
}

export interface SchedulerStats {
  readonly phase: SchedulerPhase;
  readonly elapsedMs: number;
  readonly inFlight: number;
  readonly maxInFlightSeen: number;
  /** Sends due by now but not yet issued or dropped (backlog behind schedule). */
  readonly behind: number;
  /** Sends still outstanding when the drain timed out. */
  readonly abandoned: number;
  readonly stoppedEarly: boolean;
  readonly warmup: Readonly<PhaseCounters>;
  readonly measure: Readonly<PhaseCounters>;
}

function emptyCounters(): PhaseCounters {
  return { issued: 0, late: 0, dropped: 0, completed: 0, failed: 0, maxLagMs: 0 };
}

// Re-read the clock this often inside a burst so late counting stays honest during long bursts.
const CLOCK_REREAD_EVERY = 64;

export class OpenModelScheduler {
  private readonly shape: LoadShape;
  private readonly sendFn: SendFn;
  private readonly warmupMs: number;
  private readonly toleranceNs: number;
  private readonly maxInFlight: number;
  private readonly maxBurst: number;
  private readonly drainTimeoutMs: number;
  private readonly clock: NsClock;
  private readonly startAtNs: number | undefined;
  private readonly timer: SchedulerTimer;
  private readonly onPhase: ((phase: SchedulerPhase) => void) | undefined;
  private readonly onError: ((error: unknown, seq: number) => void) | undefined;

  private startNs = 0;
  private nextSeq = 0;
  private nextIntendedMs: number | null = null;
  private inFlight = 0;
  private maxInFlightSeen = 0;
  private abandoned = 0;
  private stoppedEarly = false;
  private currentPhase: SchedulerPhase = 'warmup';
  private handle: unknown = null;
  private drainHandle: unknown = null;
  private started = false;
  private readonly counters = { warmup: emptyCounters(), measure: emptyCounters() };
  private resolveRun: ((stats: SchedulerStats) => void) | null = null;

  constructor(opts: OpenModelOptions) {
    this.shape = opts.shape;
    this.sendFn = opts.send;
    this.warmupMs = Math.max(0, opts.warmupMs ?? 0);
    this.toleranceNs = (opts.lateToleranceMs ?? 2) * 1e6;
    this.maxInFlight = opts.maxInFlight ?? 50_000;
    this.maxBurst = Math.max(1, opts.maxBurst ?? 2_000);
    this.drainTimeoutMs = opts.drainTimeoutMs ?? 30_000;
    this.clock = opts.clock ?? createMonotonicClock();
    this.startAtNs = opts.startAtNs;
    this.timer = opts.timer ?? realTimer;
    this.onPhase = opts.onPhase;
    this.onError = opts.onError;
  }

  /** The clock intended times are expressed on; use it to timestamp completions. */
  now(): number {
    return this.clock();
  }

  get phase(): SchedulerPhase {
    return this.currentPhase;
  }

  /** Nanosecond clock value the run started at (intended times are `startNs + offset`). */
  get startedAtNs(): number {
    return this.startNs;
  }

  /** Runs the shape; resolves once the last send has completed (or the drain timed out). */
  run(): Promise<SchedulerStats> {
    if (this.started) throw new Error('OpenModelScheduler.run() called twice; create a new scheduler per run');
    this.started = true;
    this.startNs = this.startAtNs ?? this.clock();
    this.nextIntendedMs = this.shape.timeOfSend(0);
    this.currentPhase = this.warmupMs > 0 ? 'warmup' : 'measure';
    this.onPhase?.(this.currentPhase);
    return new Promise<SchedulerStats>((resolve) => {
      this.resolveRun = resolve;
      if (this.nextIntendedMs === null) this.beginDrain();
      else this.tick();
    });
  }

  /** Stops issuing sends (e.g. on SIGINT) and drains what is outstanding. Idempotent. */
  stop(): void {
    if (!this.started || this.currentPhase === 'drain' || this.currentPhase === 'done') return;
    this.stoppedEarly = this.nextIntendedMs !== null;
    this.nextIntendedMs = null;
    if (this.handle !== null) this.timer.clear(this.handle);
    this.handle = null;
    this.beginDrain();
  }

  stats(): SchedulerStats {
    // Before an agreed start in the future, nothing is due yet.
    const elapsedMs = this.started ? Math.max(0, (this.clock() - this.startNs) / 1e6) : 0;
    // Send n is due once N(elapsed) >= n, the same `<=` rule the tick uses.
    const dueNow = this.nextIntendedMs === null ? this.nextSeq : Math.min(this.shape.totalSends, Math.floor(this.shape.countAt(elapsedMs) + 1e-9) + 1);
    return {
      phase: this.currentPhase,
      elapsedMs,
      inFlight: this.inFlight,
      maxInFlightSeen: this.maxInFlightSeen,
      behind: Math.max(0, dueNow - this.nextSeq),
      abandoned: this.abandoned,
      stoppedEarly: this.stoppedEarly,
      warmup: { ...this.counters.warmup },
      measure: { ...this.counters.measure },
    };
  }

  private setPhase(phase: SchedulerPhase): void {
    if (phase === this.currentPhase) return;
    this.currentPhase = phase;
    this.onPhase?.(phase);
  }

  private tick(): void {
    this.handle = null;
    if (this.nextIntendedMs === null) return;
    let nowNs = this.clock();
    const elapsedMs = (nowNs - this.startNs) / 1e6;
    if (this.currentPhase === 'warmup' && elapsedMs >= this.warmupMs) this.setPhase('measure');

    let issuedThisTick = 0;
    while (this.nextIntendedMs !== null && this.startNs + this.nextIntendedMs * 1e6 <= nowNs) {
      if (issuedThisTick >= this.maxBurst) {
        // Still behind: yield so completions (I/O callbacks) can run, then carry on at once.
        this.handle = this.timer.set(() => this.tick(), 0);
        return;
      }
      const seq = this.nextSeq;
      const intendedNs = this.startNs + this.nextIntendedMs * 1e6;
      const sendPhase: SendPhase = this.nextIntendedMs < this.warmupMs ? 'warmup' : 'measure';
      this.issue(seq, intendedNs, nowNs, sendPhase);
      issuedThisTick++;
      this.nextSeq = seq + 1;
      this.nextIntendedMs = this.shape.timeOfSend(this.nextSeq);
      if (issuedThisTick % CLOCK_REREAD_EVERY === 0) nowNs = this.clock();
    }

    if (this.nextIntendedMs === null) {
      this.beginDrain();
      return;
    }
    const waitMs = (this.startNs + this.nextIntendedMs * 1e6 - this.clock()) / 1e6;
    // Never 0 here: a sub-millisecond wait rounds up to one timer tick instead of spinning a core.
    this.handle = this.timer.set(() => this.tick(), Math.max(1, Math.floor(waitMs)));
  }

  private issue(seq: number, intendedNs: number, nowNs: number, phase: SendPhase): void {
    const c = this.counters[phase];
    const lagNs = nowNs - intendedNs;
    if (this.inFlight >= this.maxInFlight) {
      c.dropped++;
      return;
    }
    c.issued++;
    if (lagNs > this.toleranceNs) c.late++;
    if (lagNs / 1e6 > c.maxLagMs) c.maxLagMs = lagNs / 1e6;
    this.inFlight++;
    if (this.inFlight > this.maxInFlightSeen) this.maxInFlightSeen = this.inFlight;
    let result: void | Promise<void> | typeof PENDING;
    try {
      result = this.sendFn(intendedNs, seq, phase);
    } catch (error) {
      this.settle(c, seq, error, true);
      return;
    }
    if (result === PENDING) return;
    if (result instanceof Promise) {
      result.then(
        () => this.settle(c, seq, undefined, false),
        (error: unknown) => this.settle(c, seq, error, true),
      );
    } else {
      this.settle(c, seq, undefined, false);
    }
  }

  /** Finishes a send whose `send` returned PENDING. */
  complete(seq: number): void {
    const intendedMs = this.shape.timeOfSend(seq);
    const phase: SendPhase = intendedMs !== null && intendedMs < this.warmupMs ? 'warmup' : 'measure';
    this.settle(this.counters[phase], seq, undefined, false);
  }

  private settle(c: PhaseCounters, seq: number, error: unknown, failed: boolean): void {
    if (this.currentPhase === 'done') return; // abandoned by a drain timeout; already accounted
    this.inFlight--;
    if (failed) {
      c.failed++;
      this.onError?.(error, seq);
    } else {
      c.completed++;
    }
    if (this.currentPhase === 'drain' && this.inFlight === 0) this.finish();
  }

  private beginDrain(): void {
    this.setPhase('drain');
    if (this.inFlight === 0) {
      this.finish();
      return;
    }
    this.drainHandle = this.timer.set(() => {
      this.drainHandle = null;
      this.abandoned = this.inFlight;
      this.finish();
    }, this.drainTimeoutMs);
  }

  private finish(): void {
    if (this.currentPhase === 'done') return;
    if (this.drainHandle !== null) this.timer.clear(this.drainHandle);
    this.drainHandle = null;
    const stats = this.stats();
    this.setPhase('done');
    const resolve = this.resolveRun;
    this.resolveRun = null;
    resolve?.({ ...stats, phase: 'done' });
  }
}
