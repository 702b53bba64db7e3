/**
 * A worker: reads the partitions it owns and submits their messages to the pipeline, and
 * acknowledges each record only when the pipeline calls its `done` with true (stored or durably
 * dead-lettered). A record whose batch could be neither is handed back with a delay. A record
 * of a partition given up before it was submitted is handed back at once. Per-vessel order holds
 * because a vessel's messages are all in one partition, read in order by one worker at a time.
 */
import type { NormalizedMessage } from '../normalize/message.js';
import { decodeMessage } from './message-codec.js';
import type { LogMetrics } from './log-metrics.js';
import type { LogConsumer, LogRecord, PartitionOwnership, PartitionReader, RevokeReason } from './partitioned-log.js';

/** What the worker needs of the pipeline (Pipeline satisfies it). */
export interface WorkerTarget {
  submit(msg: NormalizedMessage, startMs: number, done: (durable: boolean) => void): void;
  readonly saturated: boolean;
  drained(): Promise<void>;
}

/** A record whose batch could not be kept is offered again after this long. */
const NOT_STORED_RETRY_MS = 5_000;

export interface WorkerCounters {
  received: number;
  acked: number;
  redelivered: number;
  notStored: number;
  unreadable: number;
  handedBack: number;
}

export interface LogWorkerOptions {
  readonly consumer: LogConsumer;
  readonly ownership: PartitionOwnership;
  readonly target: WorkerTarget;
  readonly metrics?: LogMetrics;
  readonly onWarning?: (message: string) => void;
  readonly onPartition?: (partition: number, event: 'reading' | 'stopped', reason?: RevokeReason) => void;
}

export class LogWorker {
  readonly counters: WorkerCounters = { received: 0, acked: 0, redelivered: 0, notStored: 0, unreadable: 0, handedBack: 0 };
  private readonly readers = new Map<number, PartitionReader>();
  private readonly owned = new Set<number>();

  constructor(private readonly opts: LogWorkerOptions) {}

  async start(): Promise<void> {
    await this.opts.ownership.start({
      assigned: (p) => this.open(p),
      revoked: (p, reason) => this.close(p, reason),
    });
  }

  partitions(): readonly number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  /** Gives every partition up (leases released at once); the caller then drains the pipeline. */
  async stop(): Promise<void> {
    await this.opts.ownership.stop();
  }

  private async open(p: number): Promise<void> {
    this.owned.add(p);
    this.opts.metrics?.partitionsOwned.set(this.owned.size);
    try {
      const reader = await this.opts.consumer.read(p, (r) => this.handle(p, r));
      if (this.owned.has(p)) this.readers.set(p, reader);
      else await reader.stop();
    } catch (err) {
      this.owned.delete(p);
      this.opts.metrics?.partitionsOwned.set(this.owned.size);
      throw err;
    }
    this.opts.onPartition?.(p, 'reading');
  }

  private async close(p: number, reason: RevokeReason): Promise<void> {
    this.owned.delete(p);
    this.opts.metrics?.partitionsOwned.set(this.owned.size);
    this.opts.metrics?.partitionLag.remove({ partition: String(p) });
    const reader = this.readers.get(p);
    this.readers.delete(p);
    await reader?.stop();
    this.opts.onPartition?.(p, 'stopped', reason);
  }

  private async handle(p: number, record: LogRecord): Promise<void> {
    const c = this.counters;
    const m = this.opts.metrics;
    c.received++;
    if (record.deliveries > 1) {
      c.redelivered++;
      m?.redeliveries.inc();
    }
    const decoded = decodeMessage(record.payload);
    if (!decoded.ok) {
      c.unreadable++;
      m?.unreadable.inc();
      this.opts.onWarning?.(`partition ${p}: unreadable record terminated: ${decoded.detail}`);
      record.reject();
      return;
    }
    const target = this.opts.target;
    if (target.saturated) await target.drained();
    if (!this.owned.has(p)) {
      // Given up while waiting: the next owner reads it.
      c.handedBack++;
      record.retry();
      return;
    }
    target.submit(decoded.message, performance.now(), (durable) => {
      if (durable) {
        record.ack();
        c.acked++;
        m?.acks.inc();
      } else {
        record.retry(NOT_STORED_RETRY_MS);
        c.notStored++;
        m?.notStored.inc();
      }
    });
  }

  /** Refreshes the lag gauge of every owned partition from the log. */
  async refreshLag(): Promise<void> {
    const m = this.opts.metrics;
    if (!m) return;
    await Promise.all(
      this.partitions().map(async (p) => {
        const s = await this.opts.consumer.stats(p);
        if (this.owned.has(p)) m.partitionLag.set({ partition: String(p) }, s.pending + s.unacknowledged);
      }),
    );
  }
}
