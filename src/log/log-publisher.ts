/**
 * The edge's side of the log: normalized messages in, one record per message in the partition
 * of its MMSI, with a content id the log de-duplicates on. It has the shape of the pipeline
 * (`submit(msg, start, done)`, `saturated`, `drained()`, `failing`, `recovered()`), so `publish`
 * reads files and `serve --publish` feeds it exactly as they would feed the pipeline: `done`
 * is called once the log acknowledged the record (true) or gave up on it (false).
 *
 * Flow control is by acknowledgements: at most `maxInFlight` appends are unacknowledged, and
 * producers wait on `drained()`. A failed append is retried (the same id makes a retry of an
 * append that did land a duplicate, not a second copy) before it counts as not published.
 */
import type { NormalizedMessage } from '../normalize/message.js';
import { backoffDelay } from '../utils/backoff-delay.js';
import { errorMessage } from '../errors/error-message.js';
import { encodeMessage } from './message-codec.js';
import { messageId } from './message-id.js';
import type { LogProducer } from './partitioned-log.js';
import { partitionOf } from './partition-of.js';

import { DEFAULT_MAX_IN_FLIGHT } from './log-defaults.js';
const RETRIES = 4;
const RETRY_BACKOFF = { baseMs: 200, maxMs: 3_000 };

export interface PublisherCounters {
  submitted: number;
  /** Acknowledged by the log as new records. */
  appended: number;
  /** Acknowledged as already held (same id within the duplicate window). */
  duplicates: number;
  /** Given up after the retries: NOT published. */
  failed: number;
  retries: number;
}

export interface LogPublisherOptions {
  readonly maxInFlight?: number;
  readonly onAppend?: (partition: number, duplicate: boolean) => void;
}

export class LogPublisher {
  readonly counters: PublisherCounters = { submitted: 0, appended: 0, duplicates: 0, failed: 0, retries: 0 };
  private inFlight = 0;
  private readonly maxInFlight: number;
  private firstError: string | null = null;
  private lastFailed = false;
  private drainWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private recoveryWaiters: Array<() => void> = [];

  constructor(
    private readonly producer: LogProducer,
    private readonly opts: LogPublisherOptions = {},
  ) {
    this.maxInFlight = opts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  }

  get partitions(): number {
    return this.producer.partitions;
  }

  /** Appends not yet acknowledged. */
  get queued(): number {
    return this.inFlight;
  }

  get saturated(): boolean {
    return this.inFlight >= this.maxInFlight;
  }

  get failing(): boolean {
    return this.lastFailed;
  }

  /** The first reason an append was given up, null while none was. */
  get failure(): string | null {
    return this.firstError;
  }

  drained(): Promise<void> {
    if (!this.saturated) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  recovered(): Promise<void> {
    if (!this.lastFailed) return Promise.resolve();
    return new Promise((resolve) => this.recoveryWaiters.push(resolve));
  }

  /** Resolves when every submitted message is acknowledged or given up. */
  flush(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  submit(msg: NormalizedMessage, _startMs: number, done?: (durable: boolean) => void): void {
    this.counters.submitted++;
    this.inFlight++;
    const partition = partitionOf(msg.mmsi, this.producer.partitions);
    void this.append(partition, messageId(msg), encodeMessage(msg)).then((ok) => {
      this.inFlight--;
      this.settle(ok);
      done?.(ok);
    });
  }

  private async append(partition: number, id: string, payload: Uint8Array): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.producer.append(partition, id, payload);
        if (r.duplicate) this.counters.duplicates++;
        else this.counters.appended++;
        this.opts.onAppend?.(partition, r.duplicate);
        return true;
      } catch (err) {
        if (attempt >= RETRIES) {
          this.counters.failed++;
          this.firstError ??= errorMessage(err);
          return false;
        }
        this.counters.retries++;
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt + 1, RETRY_BACKOFF, Math.random)));
      }
    }
  }

  private settle(ok: boolean): void {
    this.lastFailed = !ok;
    if (ok && this.recoveryWaiters.length > 0) {
      const w = this.recoveryWaiters;
      this.recoveryWaiters = [];
      for (const r of w) r();
    }
    if (this.drainWaiters.length > 0 && this.inFlight < this.maxInFlight / 2) {
      const w = this.drainWaiters;
      this.drainWaiters = [];
      for (const r of w) r();
    }
    if (this.idleWaiters.length > 0 && this.inFlight === 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const r of w) r();
    }
  }
}
