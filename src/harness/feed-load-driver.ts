/**
 * The main-thread side of `aisctl load --via udp|tcp`: starts the sender thread
 * (feed-load-sender.ts), agrees with it on when the schedule starts, and turns what arrives back
 * into figures: each line's send number into its intended send time (`lineStartMs`, handed to the
 * feed), each acknowledgement into a latency from that time (`acks`).
 *
 * Both threads read the same monotonic clock (`process.hrtime`, which `performance.now()` is
 * also based on), measured from one origin taken here; the sender's schedule starts at a value
 * of it chosen here. The intended time of send n is then `start + shape.timeOfSend(n)` on both
 * sides, exactly, with nothing sent per message.
 */
import { errorMessage } from '../errors/error-message.js';
import { startHarnessWorker } from './harness-worker.js';
import type { LatencyRecorder } from '../metrics/latency-recorder.js';
import type { ControlMessage, EventClock, SenderConfig, SenderMessage, SenderStats } from './feed-load-protocol.js';
import type { LoadShape } from './load-shape.js';
import { sendNumberOf } from './send-number.js';

/** Time for the start message to reach the waiting sender thread, before the first send is due. */
const START_LEAD_MS = 100;

export interface AckCounts {
  /** Stored or dead-lettered (or needing no write: a duplicate, a report fusion refused). */
  durable: number;
  notDurable: number;
}

/** Maps send numbers to intended send times on the pipeline's clock (performance.now, ms). */
export class SendTiming {
  readonly originNs = process.hrtime.bigint();
  readonly perfAtOriginMs = performance.now();
  readonly wallAtOriginMs = Date.now();
  /** Lines read by the feed, by the phase of their send; `unnumbered`: without a send number. */
  readonly lines = { warmup: 0, measure: 0, unnumbered: 0 };
  private runStartMs = Number.NaN;
  private measureFromMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly shape: LoadShape,
    private readonly warmupMs: number,
  ) {}

  /** The shared clock: ns since the origin. */
  nowNs(): number {
    return Number(process.hrtime.bigint() - this.originNs);
  }

  /** Fixes the schedule's start (ns on the shared clock). */
  startAt(startAtNs: number): void {
    this.runStartMs = this.perfAtOriginMs + startAtNs / 1e6;
    this.measureFromMs = this.runStartMs + this.warmupMs;
  }

  get started(): boolean {
    return !Number.isNaN(this.runStartMs);
  }

  /** performance.now() value the measured phase starts at (+Infinity before the start). */
  get measureStartMs(): number {
    return this.measureFromMs;
  }

  /** Intended time of send n (performance.now ms), or null when n is outside the schedule. */
  intendedMs(n: number): number | null {
    const t = this.shape.timeOfSend(n);
    return t === null || !this.started ? null : this.runStartMs + t;
  }

  isMeasured(startMs: number): boolean {
    return startMs >= this.measureFromMs;
  }

  /** For the feed: a line's latency starts at its send's intended time. */
  readonly lineStartMs = (line: string, receivedMs: number): number => {
    const n = sendNumberOf(line);
    const intended = n < 0 ? null : this.intendedMs(n);
    if (intended === null) {
      this.lines.unnumbered++;
      return receivedMs;
    }
    if (intended >= this.measureFromMs) this.lines.measure++;
    else this.lines.warmup++;
    return intended;
  };
}

/** Every acknowledgement of a message the feed submitted, by phase; latency for the measured ones. */
export class FeedLoadAcks {
  readonly warmup: AckCounts = { durable: 0, notDurable: 0 };
  readonly measure: AckCounts = { durable: 0, notDurable: 0 };

  constructor(
    private readonly timing: SendTiming,
    readonly recorder: LatencyRecorder,
    private readonly clockMs: () => number = () => performance.now(),
  ) {}

  /** `done` wrapped so the acknowledgement is counted (and timed) before it goes on. */
  track(startMs: number, done: (durable: boolean) => void): (durable: boolean) => void {
    return (durable) => {
      this.note(startMs, durable);
      done(durable);
    };
  }

  note(startMs: number, durable: boolean): void {
    const measured = this.timing.isMeasured(startMs);
    const c = measured ? this.measure : this.warmup;
    if (!durable) {
      c.notDurable++;
      return;
    }
    c.durable++;
    if (measured) this.recorder.recordMs(this.clockMs() - startMs);
  }

  get total(): AckCounts {
    return { durable: this.warmup.durable + this.measure.durable, notDurable: this.warmup.notDurable + this.measure.notDurable };
  }
}

export interface FeedLoadSender {
  /** How the generated times relate to the wall clock. */
  readonly eventClock: EventClock;
  /** Starts the schedule shortly from now; the timing learns when. */
  begin(): void;
  /** Stops issuing sends; `finished` then resolves once the outstanding ones are done. */
  stop(): void;
  /** The sender's latest progress report (null before the first). */
  readonly latest: SenderStats | null;
  /** The sender's final figures; rejects when the sender thread failed. */
  readonly finished: Promise<SenderStats>;
  /** Ends the thread, whatever it is doing (after an error). */
  terminate(): Promise<void>;
}

export type SenderOptions = Omit<SenderConfig, 'originNs' | 'wallAtOriginMs'>;

/** Starts the sender thread and resolves once it is connected and waiting for `begin()`. */
export async function startFeedLoadSender(opts: SenderOptions, timing: SendTiming): Promise<FeedLoadSender> {
  const config: SenderConfig = { ...opts, originNs: timing.originNs, wallAtOriginMs: timing.wallAtOriginMs };
  const worker = startHarnessWorker('feed-load-sender', config);
  let latest: SenderStats | null = null;
  let done = false;
  let onReady: (c: EventClock) => void = () => undefined;
  let onReadyFailed: (e: Error) => void = () => undefined;
  const readyOrFailed = new Promise<EventClock>((resolve, reject) => {
    onReady = resolve;
    onReadyFailed = reject;
  });
  let onDone: (s: SenderStats) => void = () => undefined;
  let onFailed: (e: Error) => void = () => undefined;
  const finished = new Promise<SenderStats>((resolve, reject) => {
    onDone = resolve;
    onFailed = reject;
  });
  // A failure before `finished` is awaited must not count as an unhandled rejection.
  finished.catch(() => undefined);
  const fail = (why: string): void => {
    done = true;
    const err = new Error(`the load sender ${why}`);
    onReadyFailed(err);
    onFailed(err);
  };
  worker.on('message', (m: SenderMessage) => {
    switch (m.type) {
      case 'ready':
        onReady(m.eventClock);
        break;
      case 'progress':
        latest = m.stats;
        break;
      case 'done':
        done = true;
        latest = m.stats;
        onDone(m.stats);
        break;
      case 'failed':
        fail(`failed: ${m.error}`);
        break;
    }
  });
  worker.on('error', (err) => fail(`failed: ${errorMessage(err)}`));
  worker.on('exit', (code) => {
    if (!done) fail(`stopped (exit ${code}) before finishing`);
  });
  const post = (m: ControlMessage): void => worker.postMessage(m);
  let eventClock: EventClock;
  try {
    eventClock = await readyOrFailed;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return {
    eventClock,
    begin() {
      const startAtNs = timing.nowNs() + START_LEAD_MS * 1e6;
      timing.startAt(startAtNs);
      post({ type: 'start', startAtNs });
    },
    stop: () => post({ type: 'stop' }),
    get latest() {
      return latest;
    },
    finished,
    async terminate() {
      await worker.terminate();
    },
  };
}
