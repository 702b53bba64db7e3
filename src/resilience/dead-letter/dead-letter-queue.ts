/**
 * The dead-letter queue contract: what failed to be written, to which dependency, and when to
 * try again. Implementations: Redis (redis-dead-letter-queue.ts), the local spool file
 * (dead-letter-spool.ts), and the failover queue that uses Redis when it is up and the spool
 * when it is not (failover-dead-letter-queue.ts), so dead-lettering never depends on the
 * dependency that just failed.
 */
import type { PositionRow, VesselStaticRow } from '../../store/store-types.js';

export type DeadLetterTarget = 'postgres' | 'redis';

export interface DeadLetterEntry {
  /** Unique and stable across hand-offs (spool -> Redis), so re-delivery is idempotent. */
  readonly id: string;
  readonly target: DeadLetterTarget;
  readonly positions: readonly PositionRow[];
  readonly statics: readonly VesselStaticRow[];
  /** Replay attempts that counted toward parking (outages do not count). */
  readonly attempts: number;
  /** ms since epoch */
  readonly firstFailedAt: number;
  /** ms since epoch; the entry is due when now >= nextAttemptAt */
  readonly nextAttemptAt: number;
  readonly lastError: string;
}

export interface DeadLetterStats {
  /** Entries waiting for (or in) replay in the Redis queue. */
  readonly pending: number;
  /** Entries that exhausted their attempts; kept for inspection, never retried automatically. */
  readonly parked: number;
  /** Entries in the local spool waiting for Redis to return. */
  readonly spooled: number;
  /** Age of the oldest pending or spooled entry (now - firstFailedAt), ms; null when empty. */
  readonly oldestAgeMs: number | null;
  /** Spool lines skipped because they were corrupt or partially written. */
  readonly corruptSpoolLines: number;
}

/** Relative to the working directory: each checkout or service directory keeps its own spool. */
export const DEFAULT_SPOOL_DIR = '.aisctl/spool';

/** What `purge` and `replay --which` act on; pending includes the spool. */
export const PURGE_SCOPES = ['pending', 'parked', 'all'] as const;
export type PurgeScope = (typeof PURGE_SCOPES)[number];

/** Where an entry ended up when it was dead-lettered. */
export type DeadLetterDestination = 'redis' | 'spool';

export interface DeadLetterQueue {
  /** Stores entries durably; resolves only once they are stored. Rejects only if no store works. */
  enqueue(entries: readonly DeadLetterEntry[]): Promise<DeadLetterDestination>;
  /**
   * Takes up to `limit` entries due at `now` and leases them for `leaseMs`: other replayers skip
   * them, and if this one dies they become due again when the lease ends.
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<DeadLetterEntry[]>;
  /** The entry was written downstream: forget it. */
  complete(id: string): Promise<void>;
  /** Replace a claimed entry by `next` entries (retry later, or split) in one atomic step. */
  reschedule(id: string, next: readonly DeadLetterEntry[]): Promise<void>;
  /** Move a claimed entry to the parked set, with its final attempt count and error. */
  park(entry: DeadLetterEntry, parkedAt: number): Promise<void>;
  /** Parked entries back to pending with attempts reset (after fixing the cause). */
  requeueParked(now: number): Promise<number>;
  listParked(limit: number): Promise<DeadLetterEntry[]>;
  purge(which: PurgeScope): Promise<number>;
  stats(now: number): Promise<DeadLetterStats>;
}

export function entrySize(e: Pick<DeadLetterEntry, 'positions' | 'statics'>): number {
  return e.positions.length + e.statics.length;
}
