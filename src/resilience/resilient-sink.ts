/**
 * What the pipeline calls for each batch. PostgreSQL and Redis are written in parallel, each
 * through its breaker; a part that fails (or meets an open breaker) is dead-lettered instead,
 * and the call still resolves. A batch counts as accepted once each part is either written or
 * durably dead-lettered: nothing accepted is lost when a dependency goes down.
 *
 * When a part can be neither written nor dead-lettered (Redis down and the spool unwritable),
 * that part is `lost`: the batch is NOT accepted and the caller must not acknowledge it. The call
 * still resolves, with the other part's result, so the caller can account for what did reach a
 * store (PostgreSQL may hold every row of a batch whose live state was lost) instead of seeing
 * one opaque rejection.
 */
import { randomUUID } from 'node:crypto';
import type { HistoryStore, HistoryWriteResult, HotStateStore, HotStateWriteResult, PositionRow, VesselStaticRow } from '../store/store-types.js';
import type { DeadLetterDestination, DeadLetterEntry, DeadLetterQueue, DeadLetterTarget } from './dead-letter/dead-letter-queue.js';
import type { DependencyBreakers } from './dependency-breaker.js';
import { describeError } from './failure-kind.js';

/** `lost`: neither written nor dead-lettered; see DeadLetterUnavailableError. */
export type PartOutcome = 'ok' | 'dead-lettered' | 'lost';

export interface SinkWriteResult {
  readonly postgres: PartOutcome;
  readonly redis: PartOutcome;
  /** Present when the part was written. */
  readonly history?: HistoryWriteResult;
  readonly hot?: HotStateWriteResult;
  /** Where each dead-lettered part went, and why. */
  readonly deadLettered?: Partial<Record<DeadLetterTarget, { readonly to: DeadLetterDestination; readonly error: string }>>;
  /** Parts that were neither written nor dead-lettered, and why. */
  readonly lost?: Partial<Record<DeadLetterTarget, DeadLetterUnavailableError>>;
}

export interface SinkStats {
  readonly batches: number;
  readonly written: Readonly<Record<DeadLetterTarget, number>>;
  readonly deadLettered: Readonly<Record<DeadLetterTarget, number>>;
  readonly deadLetteredPositions: Readonly<Record<DeadLetterTarget, number>>;
  readonly spooled: number;
  /** Batch parts that could be neither written nor dead-lettered (outcome `lost`). */
  readonly refused: number;
}

export interface ResilientSinkOptions {
  readonly history: HistoryStore;
  readonly hot: HotStateStore;
  readonly dlq: DeadLetterQueue;
  readonly breakers: DependencyBreakers;
  readonly clock?: () => number;
  /** Delay before a dead-lettered part is first due for replay, ms. Default 1 000. */
  readonly firstRetryDelayMs?: number;
  readonly newId?: () => string;
}

export interface ResilientSink {
  /**
   * `hotPositions`: the rows Redis needs (default: all of `positions`); the pipeline leaves out
   * what could only be refused there as stale. With nothing for Redis, Redis is not called.
   */
  write(positions: readonly PositionRow[], statics: readonly VesselStaticRow[], hotPositions?: readonly PositionRow[]): Promise<SinkWriteResult>;
  stats(): SinkStats;
}

export class DeadLetterUnavailableError extends Error {
  override readonly name = 'DeadLetterUnavailableError';
  constructor(
    readonly target: DeadLetterTarget,
    readonly writeError: string,
    cause: unknown,
  ) {
    super(
      `could not write the ${target} part of a batch (${writeError}) nor dead-letter it (${describeError(cause)}); ` +
        'the batch is not accepted: check that the spool directory is writable and has free space',
      { cause },
    );
  }
}

/** The Redis part of a batch with nothing Redis needs: settled without a call. */
const NOTHING_FOR_REDIS = Promise.resolve({ outcome: 'ok', result: { applied: 0, stale: 0 } } as const);

export function createResilientSink(opts: ResilientSinkOptions): ResilientSink {
  const clock = opts.clock ?? Date.now;
  const delay = opts.firstRetryDelayMs ?? 1_000;
  const newId = opts.newId ?? randomUUID;
  const stats = {
    batches: 0,
    written: { postgres: 0, redis: 0 },
    deadLettered: { postgres: 0, redis: 0 },
    deadLetteredPositions: { postgres: 0, redis: 0 },
    spooled: 0,
    refused: 0,
  };

  async function part<R>(
    target: DeadLetterTarget,
    positions: readonly PositionRow[],
    statics: readonly VesselStaticRow[],
    run: () => Promise<R>,
  ): Promise<
    | { outcome: 'ok'; result: R }
    | { outcome: 'dead-lettered'; to: DeadLetterDestination; error: string }
    | { outcome: 'lost'; error: DeadLetterUnavailableError }
  > {
    try {
      const result = await opts.breakers[target].execute(run);
      stats.written[target]++;
      return { outcome: 'ok', result };
    } catch (err) {
      const error = describeError(err);
      const now = clock();
      const entry: DeadLetterEntry = {
        id: `${target}-${newId()}`,
        target,
        positions,
        statics,
        attempts: 0,
        firstFailedAt: now,
        nextAttemptAt: now + delay,
        lastError: error,
      };
      let to: DeadLetterDestination;
      try {
        to = await opts.dlq.enqueue([entry]);
      } catch (dlqErr) {
        stats.refused++;
        return { outcome: 'lost', error: new DeadLetterUnavailableError(target, error, dlqErr) };
      }
      stats.deadLettered[target]++;
      stats.deadLetteredPositions[target] += positions.length;
      if (to === 'spool') stats.spooled++;
      return { outcome: 'dead-lettered', to, error };
    }
  }

  return {
    async write(positions, statics, hotPositions = positions) {
      stats.batches++;
      if (positions.length === 0 && statics.length === 0) return { postgres: 'ok', redis: 'ok' };
      // part() never rejects: each failure is turned into an outcome, so both parts always settle
      // and a lost part never leaves the other part's dead-lettering half done.
      const [pg, rd] = await Promise.all([
        part('postgres', positions, statics, () => opts.history.writeBatch(positions, statics)),
        hotPositions.length === 0 && statics.length === 0
          ? NOTHING_FOR_REDIS
          : part('redis', hotPositions, statics, () => opts.hot.writeBatch(hotPositions, statics)),
      ]);
      const deadLettered: Partial<Record<DeadLetterTarget, { to: DeadLetterDestination; error: string }>> = {};
      const lost: Partial<Record<DeadLetterTarget, DeadLetterUnavailableError>> = {};
      if (pg.outcome === 'dead-lettered') deadLettered.postgres = { to: pg.to, error: pg.error };
      if (rd.outcome === 'dead-lettered') deadLettered.redis = { to: rd.to, error: rd.error };
      if (pg.outcome === 'lost') lost.postgres = pg.error;
      if (rd.outcome === 'lost') lost.redis = rd.error;
      return {
        postgres: pg.outcome,
        redis: rd.outcome,
        ...(pg.outcome === 'ok' ? { history: pg.result } : {}),
        ...(rd.outcome === 'ok' ? { hot: rd.result } : {}),
        ...(Object.keys(deadLettered).length > 0 ? { deadLettered } : {}),
        ...(Object.keys(lost).length > 0 ? { lost } : {}),
      };
    },
    stats: () => ({
      batches: stats.batches,
      written: { ...stats.written },
      deadLettered: { ...stats.deadLettered },
      deadLetteredPositions: { ...stats.deadLetteredPositions },
      spooled: stats.spooled,
      refused: stats.refused,
    }),
  };
}
