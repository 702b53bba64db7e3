/**
 * The in-process pipeline: normalized messages in, durable writes out.
 *
 * fusion (synchronous, per-MMSI lanes) -> pending rows -> group-committed batches -> sink.
 *
 * Batching is adaptive: while the store is busy with `maxConcurrentWrites` batches, new rows keep
 * accumulating and go out together in the next write (group commit), so batches grow with load
 * and shrink to a single row when idle (bounded by `lingerMs`). Rows inside a batch are sorted
 * and de-duplicated by the writers, which is what keeps concurrent batches deadlock-free.
 */
import type { NormalizedMessage, PositionReport, StaticReport } from '../normalize/message.js';
import type { PositionRow, VesselStaticRow } from '../store/store-types.js';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import type { BatchSink } from './batch-sink.js';
import type { SinkWriteResult } from '../resilience/resilient-sink.js';
import type { PipelineConfig } from './pipeline-config.js';
import type { FusionLanes } from '../fusion/fusion-lanes.js';
import type { FusionDecisionKind } from '../fusion/fusion-decision.js';
import { errorMessage } from '../errors/error-message.js';
import { newestPerVessel } from '../store/newest-per-vessel.js';

export interface PipelineCounters {
  submitted: number;
  positions: number;
  statics: number;
  duplicates: number;
  /** Refused by fusion: invalid values, or implausible reports from a demoted source. */
  fusionRejected: number;
  live: number;
  history: number;
  upgrades: number;
  /** Messages whose writes were acknowledged or durably dead-lettered. */
  completed: number;
  positionsInserted: number;
  positionsUpdated: number;
  positionsUnchanged: number;
  vesselsInserted: number;
  redisApplied: number;
  redisStale: number;
  deadlocks: number;
  batches: number;
  deadLetteredPostgres: number;
  deadLetteredRedis: number;
  /**
   * Batches not accepted: a part could be neither written nor dead-lettered (or the sink call
   * threw, a bug). Their messages are in `notStored`; what did reach a store is still counted.
   */
  sinkErrors: number;
  /** Messages of those batches: acknowledged to nobody, and reported as not stored. */
  notStored: number;
  /** Batch parts lost per store: PostgreSQL may hold every row of a batch whose Redis part was lost. */
  lostPostgres: number;
  lostRedis: number;
}

/** The first reason batches could not be made durable, and when the last one failed. */
export interface PipelineFailure {
  readonly error: string;
  readonly batches: number;
  readonly messages: number;
  /** `now` clock of the most recent failed batch. */
  readonly lastAtMs: number;
}

/** Called once per completed message with its start time (ms, performance.now clock). */
export type CompletionListener = (startMs: number, nowMs: number) => void;

/** Per-message acknowledgement: true once durable (stored or dead-lettered), false on failure. */
export type MessageDone = (durable: boolean) => void;

/**
 * The same, also handed the `tag` and start time given to `submit`: one function shared by every
 * message (told apart by the tag) costs nothing per message, where a closure per message is
 * garbage at 10,000/s. A `MessageDone` is one too.
 */
export type TaggedDone = (durable: boolean, tag: number, startMs: number) => void;

/** Rows and, index-aligned, the start time, acknowledgement and tag of the message behind each row. */
interface PendingBatch {
  positions: PositionRow[];
  positionStarts: number[];
  positionDone: Array<TaggedDone | null>;
  positionTags: number[];
  /** Fusion said the row moves the vessel's live state (only those go to hot state). */
  positionLive: boolean[];
  statics: VesselStaticRow[];
  staticStarts: number[];
  staticDone: Array<TaggedDone | null>;
  staticTags: number[];
}

function emptyBatch(): PendingBatch {
  return {
    positions: [],
    positionStarts: [],
    positionDone: [],
    positionTags: [],
    positionLive: [],
    statics: [],
    staticStarts: [],
    staticDone: [],
    staticTags: [],
  };
}

function batchSize(b: PendingBatch): number {
  return b.positions.length + b.statics.length;
}

export class Pipeline {
  readonly counters: PipelineCounters = {
    submitted: 0,
    positions: 0,
    statics: 0,
    duplicates: 0,
    fusionRejected: 0,
    live: 0,
    history: 0,
    upgrades: 0,
    completed: 0,
    positionsInserted: 0,
    positionsUpdated: 0,
    positionsUnchanged: 0,
    vesselsInserted: 0,
    redisApplied: 0,
    redisStale: 0,
    deadlocks: 0,
    batches: 0,
    deadLetteredPostgres: 0,
    deadLetteredRedis: 0,
    sinkErrors: 0,
    notStored: 0,
    lostPostgres: 0,
    lostRedis: 0,
  };

  private pending: PendingBatch = emptyBatch();
  private inFlight = 0;
  private inFlightMessages = 0;
  private lingerTimer: NodeJS.Timeout | null = null;
  private watermark = 0;
  private lastPruneAt = 0;
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  private recoveryWaiters: Array<() => void> = [];
  private completionListeners: CompletionListener[] = [];
  private batchListeners: Array<(outcome: SinkWriteResult, rows: number) => void> = [];
  private failureListeners: Array<(error: string, messages: number) => void> = [];
  private firstFailure: string | null = null;
  private lastFailureAt = 0;
  /** The most recent batch to finish was not accepted; cleared by the next accepted one. */
  private lastBatchFailed = false;
  private closed = false;
  /**
   * Fusion decisions (and refusals) not yet added to the prom-client counters. A labelled
   * `inc` hashes and validates its label object, ~0.3 µs per position (2 % of the ingest CPU,
   * measured with --cpu-prof); adding per kind once per batch or linger period costs nothing
   * per message. Metrics lag by at most `lingerMs` (the linger timer flushes them).
   */
  private readonly unflushed = {
    decisions: new Map<FusionDecisionKind, number>(),
    duplicates: 0,
    rejected: new Map<FusionDecisionKind, number>(),
    dirty: false,
  };

  constructor(
    private readonly config: PipelineConfig,
    private readonly fusion: FusionLanes,
    private readonly sink: BatchSink,
    private readonly metrics: PipelineMetrics | null,
    private readonly now: () => number,
  ) {}

  onCompletion(listener: CompletionListener): void {
    this.completionListeners.push(listener);
  }

  onBatch(listener: (outcome: SinkWriteResult, rows: number) => void): void {
    this.batchListeners.push(listener);
  }

  /** Called for every batch that could not be made durable (a part neither written nor dead-lettered). */
  onFailure(listener: (error: string, messages: number) => void): void {
    this.failureListeners.push(listener);
  }

  /**
   * Null while every batch has been made durable. Otherwise the first reason and the totals, so
   * a run can stop reading and say exactly how much was not stored.
   */
  get failure(): PipelineFailure | null {
    if (this.firstFailure === null) return null;
    return { error: this.firstFailure, batches: this.counters.sinkErrors, messages: this.counters.notStored, lastAtMs: this.lastFailureAt };
  }

  /** True while the most recent batch to finish was not accepted: a service should refuse input. */
  get failing(): boolean {
    return this.lastBatchFailed;
  }

  /** Resolves when a batch is accepted after a failed one (at once when not failing). */
  recovered(): Promise<void> {
    if (!this.lastBatchFailed) return Promise.resolve();
    return new Promise((resolve) => this.recoveryWaiters.push(resolve));
  }

  /** Messages accepted and not yet durable. */
  get queued(): number {
    return batchSize(this.pending) + this.inFlightMessages;
  }

  get inFlightBatches(): number {
    return this.inFlight;
  }

  /** True when producers should wait for `drained()` before submitting more. */
  get saturated(): boolean {
    return this.queued >= this.config.highWaterMessages;
  }

  /** Resolves when the queue is back under half the high-water mark. */
  drained(): Promise<void> {
    if (!this.saturated) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /**
   * Offers one message. `startMs` is its arrival time, or its intended send time under load, on
   * the `now` clock: end-to-end latency is measured from it. `done`, if given, is called once:
   * immediately (true) when fusion drops the message as a duplicate or refuses it (nothing to
   * write), else when its batch is durable. `tag` is handed back to `done`.
   */
  submit(msg: NormalizedMessage, startMs: number, done?: TaggedDone, tag = 0): void {
    if (this.closed) throw new Error('pipeline is closed');
    this.counters.submitted++;
    if (msg.ts > this.watermark) this.watermark = msg.ts;
    if (msg.kind === 'position') this.submitPosition(msg, startMs, done ?? null, tag);
    else this.submitStatic(msg, startMs, done ?? null, tag);
    this.maybePrune();
    if (batchSize(this.pending) >= this.config.maxBatch) this.dispatch();
    else this.armLinger();
  }

  private submitPosition(msg: PositionReport, startMs: number, done: TaggedDone | null, tag: number): void {
    this.counters.positions++;
    const decision = this.fusion.offer(msg, this.watermark);
    const u = this.unflushed;
    if (this.metrics !== null) {
      u.decisions.set(decision.kind, (u.decisions.get(decision.kind) ?? 0) + 1);
      u.dirty = true;
    }
    const row = decision.row;
    if (decision.kind === 'duplicate') {
      this.counters.duplicates++;
      if (this.metrics !== null) u.duplicates++;
      done?.(true, tag, startMs);
      return;
    }
    if (row === null) {
      this.counters.fusionRejected++;
      if (this.metrics !== null) u.rejected.set(decision.kind, (u.rejected.get(decision.kind) ?? 0) + 1);
      done?.(true, tag, startMs);
      return;
    }
    if (decision.kind === 'live') this.counters.live++;
    else if (decision.kind === 'history') this.counters.history++;
    else this.counters.upgrades++;
    this.pending.positions.push(row);
    this.pending.positionStarts.push(startMs);
    this.pending.positionDone.push(done);
    this.pending.positionTags.push(tag);
    this.pending.positionLive.push(decision.movesLive);
  }

  private submitStatic(msg: StaticReport, startMs: number, done: TaggedDone | null, tag: number): void {
    this.counters.statics++;
    this.pending.statics.push({
      mmsi: msg.mmsi,
      ts: msg.ts,
      name: msg.name,
      callsign: msg.callsign,
      imo: msg.imo,
      shipType: msg.shipType,
      toBow: msg.toBow,
      toStern: msg.toStern,
      toPort: msg.toPort,
      toStarboard: msg.toStarboard,
      draught: msg.draught,
      destination: msg.destination,
    });
    this.pending.staticStarts.push(startMs);
    this.pending.staticDone.push(done);
    this.pending.staticTags.push(tag);
  }

  private maybePrune(): void {
    if (this.watermark - this.lastPruneAt < this.config.pruneEveryMs) return;
    this.lastPruneAt = this.watermark;
    this.fusion.prune(this.watermark);
    this.metrics?.setSourceQuality(this.fusion.sourceQuality());
  }

  private flushMetrics(): void {
    const u = this.unflushed;
    const m = this.metrics;
    if (!u.dirty || m === null) return;
    for (const [decision, n] of u.decisions) m.fusionDecisions.inc({ decision }, n);
    if (u.duplicates > 0) m.messages.inc({ outcome: 'duplicate' }, u.duplicates);
    for (const [reason, n] of u.rejected) {
      m.messages.inc({ outcome: 'rejected' }, n);
      m.rejections.inc({ reason }, n);
    }
    u.decisions.clear();
    u.rejected.clear();
    u.duplicates = 0;
    u.dirty = false;
  }

  private armLinger(): void {
    // Also armed with nothing to write but metrics to flush (a run of duplicates).
    if (this.lingerTimer !== null || (batchSize(this.pending) === 0 && !this.unflushed.dirty)) return;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = null;
      this.dispatch();
    }, this.config.lingerMs);
  }

  private dispatch(): void {
    if (this.lingerTimer !== null) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
    }
    this.flushMetrics();
    const partialSlots = this.config.partialWriteSlots ?? this.config.maxConcurrentWrites;
    while (this.inFlight < this.config.maxConcurrentWrites && batchSize(this.pending) > 0) {
      // A partial batch waits for company while enough writes are in flight (partialWriteSlots):
      // it goes out when it fills up (submit) or when completions bring in-flight writes under
      // the limit (writeBatch calls dispatch again), so nothing waits forever.
      if (batchSize(this.pending) < this.config.maxBatch && this.inFlight >= partialSlots) break;
      const batch = this.takeBatch();
      void this.writeBatch(batch);
    }
    // Rows left behind wait for a free write slot; completion of a write dispatches them.
    this.metrics?.queuedMessages.set(this.queued);
  }

  private takeBatch(): PendingBatch {
    const all = this.pending;
    if (batchSize(all) <= this.config.maxBatch) {
      this.pending = emptyBatch();
      return all;
    }
    // More than one batch waited (group commit under load): take the oldest rows first.
    const nPos = Math.min(all.positions.length, this.config.maxBatch);
    const nStatic = Math.min(all.statics.length, this.config.maxBatch - nPos);
    return {
      positions: all.positions.splice(0, nPos),
      positionStarts: all.positionStarts.splice(0, nPos),
      positionDone: all.positionDone.splice(0, nPos),
      positionTags: all.positionTags.splice(0, nPos),
      positionLive: all.positionLive.splice(0, nPos),
      statics: all.statics.splice(0, nStatic),
      staticStarts: all.staticStarts.splice(0, nStatic),
      staticDone: all.staticDone.splice(0, nStatic),
      staticTags: all.staticTags.splice(0, nStatic),
    };
  }

  private async writeBatch(batch: PendingBatch): Promise<void> {
    const messages = batchSize(batch);
    this.inFlight++;
    this.inFlightMessages += messages;
    this.metrics?.inFlightBatches.set(this.inFlight);
    this.counters.batches++;
    let outcome: SinkWriteResult | null = null;
    let failure: string | null = null;
    let hotRows: readonly PositionRow[] = batch.positions;
    try {
      hotRows = newestPerVessel(batch.positions, batch.positionLive);
      outcome = await this.sink.write(batch.positions, batch.statics, hotRows);
      const lost = outcome.lost;
      if (lost !== undefined) {
        if (lost.postgres) this.counters.lostPostgres++;
        if (lost.redis) this.counters.lostRedis++;
        failure = (lost.postgres ?? lost.redis)?.message ?? 'batch not accepted';
      }
    } catch (err) {
      // The resilient sink turns dependency failures into outcomes; reaching here is a bug in a
      // sink. Nothing is known to be stored, so the batch is reported as not stored.
      failure = `batch write failed: ${errorMessage(err)}`;
    }
    const nowMs = this.now();
    this.inFlight--;
    this.inFlightMessages -= messages;
    // What did reach a store is counted either way, so counts reconcile with the stores.
    if (outcome) this.account(outcome, batch, nowMs, failure === null, batch.positions.length - hotRows.length);
    if (failure !== null) this.fail(failure, batch, messages, nowMs);
    else this.recover();
    this.metrics?.inFlightBatches.set(this.inFlight);
    if (batchSize(this.pending) > 0) this.dispatch();
    this.metrics?.queuedMessages.set(this.queued);
    this.wakeWaiters();
  }

  private recover(): void {
    this.lastBatchFailed = false;
    if (this.recoveryWaiters.length === 0) return;
    const w = this.recoveryWaiters;
    this.recoveryWaiters = [];
    for (const resolve of w) resolve();
  }

  private fail(error: string, batch: PendingBatch, messages: number, nowMs: number): void {
    this.counters.sinkErrors++;
    this.counters.notStored += messages;
    this.firstFailure ??= error;
    this.lastFailureAt = nowMs;
    this.lastBatchFailed = true;
    this.metrics?.messages.inc({ outcome: 'error' }, messages);
    for (let i = 0; i < batch.positionDone.length; i++) batch.positionDone[i]?.(false, batch.positionTags[i] as number, batch.positionStarts[i] as number);
    for (let i = 0; i < batch.staticDone.length; i++) batch.staticDone[i]?.(false, batch.staticTags[i] as number, batch.staticStarts[i] as number);
    for (const l of this.failureListeners) l(error, messages);
  }

  /** `durable`: every part written or dead-lettered; only then are its messages completed. */
  private account(outcome: SinkWriteResult, batch: PendingBatch, nowMs: number, durable: boolean, notForHot: number): void {
    const c = this.counters;
    const messages = batchSize(batch);
    if (durable) c.completed += messages;
    if (outcome.history) {
      c.positionsInserted += outcome.history.positionsInserted;
      c.positionsUpdated += outcome.history.positionsUpdated;
      c.positionsUnchanged += outcome.history.positionsSkipped;
      c.vesselsInserted += outcome.history.vesselsInserted;
      c.deadlocks += outcome.history.deadlocks;
      const m = this.metrics;
      if (m) {
        m.positionsWritten.inc({ result: 'inserted' }, outcome.history.positionsInserted);
        m.positionsWritten.inc({ result: 'updated' }, outcome.history.positionsUpdated);
        m.positionsWritten.inc({ result: 'unchanged' }, outcome.history.positionsSkipped);
        m.vesselsInserted.inc(outcome.history.vesselsInserted);
        m.deadlocks.inc(outcome.history.deadlocks);
      }
    }
    if (outcome.hot) {
      c.redisApplied += outcome.hot.applied;
      // Rows never sent to Redis would have been refused there as stale: counted the same way.
      c.redisStale += outcome.hot.stale + notForHot;
    }
    if (outcome.postgres === 'dead-lettered') {
      c.deadLetteredPostgres++;
      this.metrics?.deadLettered.inc({ target: 'postgres' });
    }
    if (outcome.redis === 'dead-lettered') {
      c.deadLetteredRedis++;
      this.metrics?.deadLettered.inc({ target: 'redis' });
    }
    for (const l of this.batchListeners) l(outcome, messages);
    if (!durable) return;
    this.metrics?.messages.inc({ outcome: 'accepted' }, messages);
    this.complete(batch.positionStarts, batch.positionDone, batch.positionTags, nowMs);
    this.complete(batch.staticStarts, batch.staticDone, batch.staticTags, nowMs);
  }

  private complete(starts: readonly number[], dones: ReadonlyArray<TaggedDone | null>, tags: readonly number[], nowMs: number): void {
    const histogram = this.metrics?.endToEndLatency;
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i] as number;
      histogram?.observe((nowMs - start) / 1000);
      for (const l of this.completionListeners) l(start, nowMs);
      dones[i]?.(true, tags[i] as number, start);
    }
  }

  private wakeWaiters(): void {
    if (this.drainWaiters.length > 0 && this.queued < this.config.highWaterMessages / 2) {
      const w = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of w) resolve();
    }
    if (this.idleWaiters.length > 0 && this.queued === 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of w) resolve();
    }
  }

  /** Writes whatever is pending and resolves when nothing is queued or in flight. */
  flush(): Promise<void> {
    if (batchSize(this.pending) > 0) this.dispatch();
    else this.flushMetrics();
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops intake and waits for every accepted message to become durable. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /**
   * For a hard stop: removes the rows not yet handed to the sink so the caller can spool them.
   * In-flight batches cannot be recalled; they complete or are dead-lettered by the sink.
   */
  takePending(): { positions: PositionRow[]; statics: VesselStaticRow[]; messages: number } {
    this.closed = true;
    this.flushMetrics();
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    const p = this.pending;
    this.pending = emptyBatch();
    return { positions: p.positions, statics: p.statics, messages: batchSize(p) };
  }

  sourceQuality(): Readonly<Record<string, number>> {
    return this.fusion.sourceQuality();
  }
}
