/**
 * Replays dead-lettered batches into the dependency that refused them.
 *
 * Unlike a loop that re-enqueues a failing message forever, every entry has a bounded budget:
 * - the dependency is unavailable (refused, timed out, breaker open): the entry is deferred with
 *   jittered delay and its attempt count is unchanged; an outage is not the entry's fault and must
 *   not park good data. The rest of that target's entries wait for the next round.
 * - the dependency refused the data (`rejected`): an entry of several rows is split in two halves
 *   so good rows go in and the poison row is isolated in log2(n) rounds; a single row counts an
 *   attempt.
 * - an `unknown` failure counts an attempt.
 * After `maxAttempts` counted attempts the entry is parked: kept for inspection, never retried
 * automatically (`requeueParked` after fixing the cause).
 *
 * Replay is safe to repeat: PostgreSQL upserts on (vessel_id, ts) and the Redis script refuses
 * state older than what it holds, so a batch written twice (a crash between write and `complete`,
 * a lease that expired mid-write) leaves the same result as once.
 */
import type { HistoryStore, HotStateStore } from '../../store/store-types.js';
import { DEFAULT_BACKOFF, decideRetry } from './backoff.js';
import type { BackoffOptions } from './backoff.js';
import type { DeadLetterEntry, DeadLetterQueue, DeadLetterTarget, PurgeScope } from './dead-letter-queue.js';
import { entrySize } from './dead-letter-queue.js';
import type { SpoolDrainResult } from './dead-letter-spool.js';
import { BreakerOpenError, type DependencyBreakers } from '../dependency-breaker.js';
import { classifyFailure, describeError } from '../failure-kind.js';
import type { RandomSource } from '../../utils/seeded-random.js';

export interface ReplayTargets {
  readonly postgres: HistoryStore;
  readonly redis: HotStateStore;
}

export type ReplayEvent =
  | { readonly type: 'replayed'; readonly entry: DeadLetterEntry }
  | { readonly type: 'deferred'; readonly entry: DeadLetterEntry; readonly error: string }
  | { readonly type: 'retry'; readonly entry: DeadLetterEntry; readonly error: string; readonly nextAttemptAt: number }
  | { readonly type: 'split'; readonly entry: DeadLetterEntry; readonly error: string }
  | { readonly type: 'parked'; readonly entry: DeadLetterEntry; readonly error: string }
  | { readonly type: 'queue-unavailable'; readonly error: string }
  | { readonly type: 'spool-handed-off'; readonly entries: number; readonly corrupt: number };

export interface DlqReplayerOptions {
  readonly dlq: DeadLetterQueue & { drainSpool?: () => Promise<SpoolDrainResult> };
  /** When given, replay writes go through the same breakers as live writes. */
  readonly breakers?: DependencyBreakers;
  /** `maxAttempts` is K, the counted failures after which an entry is parked. */
  readonly backoff?: Partial<BackoffOptions>;
  /** Entries claimed per round. Default 100. */
  readonly batchSize?: number;
  /** How long a claim holds an entry, ms; must exceed a write's duration. Default 60 000. */
  readonly leaseMs?: number;
  /** Delay before re-trying an entry whose dependency is down, ms (jittered 50-100%). Default 5 000. */
  readonly outageRetryMs?: number;
  /** Pause of the background loop when nothing was due, ms. Default 1 000. */
  readonly idleMs?: number;
  /** Split multi-row entries the dependency rejects. Default true. */
  readonly splitOnReject?: boolean;
  readonly random?: RandomSource;
  readonly clock?: () => number;
  readonly onEvent?: (e: ReplayEvent) => void;
}

export interface ReplayRoundResult {
  readonly claimed: number;
  readonly replayed: number;
  readonly replayedPositions: number;
  readonly retried: number;
  readonly deferred: number;
  readonly split: number;
  readonly parked: number;
  readonly spoolHandedOff: number;
  /** The queue itself (Redis) could not be reached this round. */
  readonly queueUnavailable: boolean;
}

export interface DlqReplayer {
  replayOnce(targets: ReplayTargets): Promise<ReplayRoundResult>;
  /** Runs rounds in the background until stop(); a round's failure is reported, never thrown. */
  start(targets: ReplayTargets): void;
  stop(): Promise<void>;
  purge(which: PurgeScope): Promise<number>;
  totals(): ReplayRoundResult & { readonly rounds: number };
}

export function createDlqReplayer(options: DlqReplayerOptions): DlqReplayer {
  const { dlq } = options;
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff };
  const batchSize = options.batchSize ?? 100;
  const leaseMs = options.leaseMs ?? 60_000;
  const outageRetryMs = options.outageRetryMs ?? 5_000;
  const idleMs = options.idleMs ?? 1_000;
  const splitOnReject = options.splitOnReject ?? true;
  const random = options.random ?? Math.random;
  const clock = options.clock ?? Date.now;
  const emit = (e: ReplayEvent): void => {
    try {
      options.onEvent?.(e);
    } catch {
      // observers must not break replay
    }
  };

  const totals = {
    rounds: 0,
    claimed: 0,
    replayed: 0,
    replayedPositions: 0,
    retried: 0,
    deferred: 0,
    split: 0,
    parked: 0,
    spoolHandedOff: 0,
    queueUnavailable: false,
  };

  function write(targets: ReplayTargets, entry: DeadLetterEntry): Promise<unknown> {
    const run = (): Promise<unknown> =>
      entry.target === 'postgres' ? targets.postgres.writeBatch(entry.positions, entry.statics) : targets.redis.writeBatch(entry.positions, entry.statics);
    const breaker = options.breakers?.[entry.target];
    return breaker ? breaker.execute(run) : run();
  }

  async function replayOnce(targets: ReplayTargets): Promise<ReplayRoundResult> {
    const r = { claimed: 0, replayed: 0, replayedPositions: 0, retried: 0, deferred: 0, split: 0, parked: 0, spoolHandedOff: 0, queueUnavailable: false };
    if (dlq.drainSpool) {
      try {
        const d = await dlq.drainSpool();
        r.spoolHandedOff = d.handedOff;
        if (d.handedOff > 0 || d.corrupt > 0) emit({ type: 'spool-handed-off', entries: d.handedOff, corrupt: d.corrupt });
      } catch (err) {
        r.queueUnavailable = true;
        emit({ type: 'queue-unavailable', error: describeError(err) });
      }
    }
    let entries: DeadLetterEntry[] = [];
    if (!r.queueUnavailable) {
      try {
        entries = await dlq.claimDue(clock(), batchSize, leaseMs);
      } catch (err) {
        r.queueUnavailable = true;
        emit({ type: 'queue-unavailable', error: describeError(err) });
      }
    }
    r.claimed = entries.length;
    // Target -> the failure that showed it down this round: the entries deferred after it keep
    // that failure as their lastError, not a note that something failed earlier.
    const down = new Map<DeadLetterTarget, string>();
    try {
      for (const entry of entries) {
        const now = clock();
        const downBecause = down.get(entry.target);
        if (downBecause !== undefined) {
          await defer(entry, now, `dependency unavailable earlier in this round: ${downBecause}`, downBecause);
          r.deferred++;
          continue;
        }
        try {
          await write(targets, entry);
        } catch (err) {
          const error = describeError(err);
          const kind = classifyFailure(err);
          if (kind === 'unavailable') {
            // A circuit opened by hand names no failure: the entry's own cause is still the best one.
            const cause = err instanceof BreakerOpenError && err.lastFailure === null ? entry.lastError : error;
            down.set(entry.target, cause);
            await defer(entry, now, error, cause);
            r.deferred++;
            continue;
          }
          if (kind === 'rejected' && splitOnReject && entrySize(entry) > 1) {
            await dlq.reschedule(entry.id, splitEntry(entry, now, error));
            emit({ type: 'split', entry, error });
            r.split++;
            continue;
          }
          const attempts = entry.attempts + 1;
          const decision = decideRetry(attempts, now, backoff, random);
          if (decision.action === 'park') {
            const parked: DeadLetterEntry = { ...entry, attempts, lastError: error };
            await dlq.park(parked, now);
            emit({ type: 'parked', entry: parked, error });
            r.parked++;
          } else {
            const next: DeadLetterEntry = { ...entry, attempts, lastError: error, nextAttemptAt: decision.nextAttemptAt };
            await dlq.reschedule(entry.id, [next]);
            emit({ type: 'retry', entry: next, error, nextAttemptAt: decision.nextAttemptAt });
            r.retried++;
          }
          continue;
        }
        await dlq.complete(entry.id);
        emit({ type: 'replayed', entry });
        r.replayed++;
        r.replayedPositions += entry.positions.length;
      }
    } catch (err) {
      // The queue failed mid-round (Redis went away): the remaining claims come due again when
      // their lease ends, and anything already written will be written again harmlessly.
      r.queueUnavailable = true;
      emit({ type: 'queue-unavailable', error: describeError(err) });
    }
    totals.rounds++;
    for (const key of ['claimed', 'replayed', 'replayedPositions', 'retried', 'deferred', 'split', 'parked', 'spoolHandedOff'] as const) {
      totals[key] += r[key];
    }
    totals.queueUnavailable = r.queueUnavailable;
    return r;
  }

  async function defer(entry: DeadLetterEntry, now: number, error: string, lastError: string): Promise<void> {
    const delay = Math.floor(outageRetryMs * (0.5 + 0.5 * clamp01(random())));
    await dlq.reschedule(entry.id, [{ ...entry, nextAttemptAt: now + delay, lastError }]);
    emit({ type: 'deferred', entry, error });
  }

  let running: Promise<void> | null = null;
  let stopping = false;
  let wake: (() => void) | null = null;

  async function loop(targets: ReplayTargets): Promise<void> {
    while (!stopping) {
      let busy = false;
      try {
        const r = await replayOnce(targets);
        busy = r.claimed >= batchSize && !r.queueUnavailable;
      } catch (err) {
        emit({ type: 'queue-unavailable', error: describeError(err) });
      }
      if (stopping) break;
      if (busy) {
        await new Promise<void>((res) => setImmediate(res));
        continue;
      }
      await new Promise<void>((res) => {
        const t = setTimeout(res, idleMs);
        wake = () => {
          clearTimeout(t);
          res();
        };
      });
      wake = null;
    }
  }

  return {
    replayOnce,
    start(targets) {
      if (running) return;
      stopping = false;
      running = loop(targets).finally(() => {
        running = null;
      });
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
    },
    purge: (which) => dlq.purge(which),
    totals: () => ({ ...totals }),
  };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(Math.max(x, 0), 1) : 0;
}

/**
 * Two halves of a rejected entry, due now, attempts unchanged: the split isolates the bad row
 * rather than retrying the same data. Ids extend the parent's, so they stay unique and stable.
 */
export function splitEntry(entry: DeadLetterEntry, now: number, error: string): DeadLetterEntry[] {
  const rows = entrySize(entry);
  const half = Math.ceil(rows / 2);
  const pCut = Math.min(half, entry.positions.length);
  const sCut = half - pCut;
  const base = { target: entry.target, attempts: entry.attempts, firstFailedAt: entry.firstFailedAt, nextAttemptAt: now, lastError: error };
  return [
    { ...base, id: `${entry.id}.0`, positions: entry.positions.slice(0, pCut), statics: entry.statics.slice(0, sCut) },
    { ...base, id: `${entry.id}.1`, positions: entry.positions.slice(pCut), statics: entry.statics.slice(sCut) },
  ];
}
