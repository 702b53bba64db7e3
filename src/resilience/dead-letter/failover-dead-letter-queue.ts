/**
 * The dead-letter queue the pipeline uses: the Redis queue when Redis answers, the local spool
 * when it does not. Redis calls go through the Redis breaker (when given) and a short timeout,
 * so a Redis outage costs one timeout per call until the breaker opens, then nothing: entries go
 * straight to the spool. `drainSpool()` moves spooled entries into Redis once it is back.
 *
 * An entry that timed out on its way to Redis but was applied there anyway also lands in the
 * spool; the hand-off adds by id, so it is not duplicated.
 */
import type { Cluster, Redis } from 'ioredis';
import { openDeadLetterSpool } from './dead-letter-spool.js';
import type { DeadLetterSpool, DeadLetterSpoolOptions, SpoolDrainResult } from './dead-letter-spool.js';
import type { DeadLetterQueue, DeadLetterStats, PurgeScope } from './dead-letter-queue.js';
import type { DependencyBreaker } from '../dependency-breaker.js';
import { createRedisDeadLetterQueue } from './redis-dead-letter-queue.js';
import { withTimeout } from '../with-timeout.js';

export interface FailoverDeadLetterQueueOptions {
  /** A standalone client or a Cluster (the queue picks its key layout by client kind). */
  readonly redis: Redis | Cluster;
  readonly env: string;
  /** An open spool, or options to open one (default dir DEFAULT_SPOOL_DIR). */
  readonly spool?: DeadLetterSpool | DeadLetterSpoolOptions;
  /** The Redis breaker shared with the hot-state writer: when it is open, go straight to the spool. */
  readonly breaker?: DependencyBreaker;
  /** Per Redis call, ms. Default 3000. */
  readonly redisTimeoutMs?: number;
  readonly onCorrupt?: (id: string, reason: string) => void;
}

export interface FailoverDeadLetterQueue extends DeadLetterQueue {
  readonly spool: DeadLetterSpool;
  /** Hands spooled entries to the Redis queue; rejects (leaving the spool intact) if Redis fails. */
  drainSpool(): Promise<SpoolDrainResult>;
  /** Entries enqueued to each destination since creation. */
  counts(): { readonly toRedis: number; readonly toSpool: number };
  close(): Promise<void>;
}

function isSpool(s: DeadLetterSpool | DeadLetterSpoolOptions | undefined): s is DeadLetterSpool {
  return s !== undefined && typeof (s as DeadLetterSpool).append === 'function';
}

export function createFailoverDeadLetterQueue(opts: FailoverDeadLetterQueueOptions): FailoverDeadLetterQueue {
  const queue = createRedisDeadLetterQueue({ redis: opts.redis, env: opts.env, onCorrupt: opts.onCorrupt });
  const spool = isSpool(opts.spool) ? opts.spool : openDeadLetterSpool(opts.spool);
  const ownsSpool = !isSpool(opts.spool);
  const timeoutMs = opts.redisTimeoutMs ?? 3_000;
  let toRedis = 0;
  let toSpool = 0;

  function viaRedis<T>(fn: () => Promise<T>): Promise<T> {
    const guarded = () => withTimeout(fn(), timeoutMs);
    return opts.breaker ? opts.breaker.execute(guarded) : guarded();
  }

  return {
    spool,
    async enqueue(entries) {
      if (entries.length === 0) return 'redis';
      try {
        await viaRedis(() => queue.enqueue(entries));
        toRedis += entries.length;
        return 'redis';
      } catch {
        // Any Redis failure, including an open breaker: the spool does not depend on Redis.
        await spool.append(entries);
        toSpool += entries.length;
        return 'spool';
      }
    },
    claimDue: (now, limit, leaseMs) => viaRedis(() => queue.claimDue(now, limit, leaseMs)),
    complete: (id) => viaRedis(() => queue.complete(id)),
    reschedule: (id, next) => viaRedis(() => queue.reschedule(id, next)),
    park: (entry, parkedAt) => viaRedis(() => queue.park(entry, parkedAt)),
    requeueParked: (now) => viaRedis(() => queue.requeueParked(now)),
    listParked: (limit) => viaRedis(() => queue.listParked(limit)),
    async purge(which: PurgeScope) {
      let n = 0;
      if (which !== 'parked') n += await spool.purge();
      n += await viaRedis(() => queue.purge(which));
      return n;
    },
    async stats(now): Promise<DeadLetterStats> {
      // A spool folder that cannot be created holds nothing; failing here made every drain wait
      // for its whole deadline (15 s per ingest with an unusable spool, even with Redis up).
      const s = await spool.stats().catch(() => ({ spooled: 0, oldestFirstFailedAt: null, corruptLines: 0, segments: 0 }));
      const spoolAge = s.oldestFirstFailedAt === null ? null : Math.max(0, now - s.oldestFirstFailedAt);
      let r: DeadLetterStats | null = null;
      try {
        r = await viaRedis(() => queue.stats(now));
      } catch {
        // Stats must work during the outage they describe; Redis figures are then unknown (0).
      }
      const ages = [spoolAge, r?.oldestAgeMs ?? null].filter((a): a is number => a !== null);
      return {
        pending: r?.pending ?? 0,
        parked: r?.parked ?? 0,
        spooled: s.spooled,
        oldestAgeMs: ages.length > 0 ? Math.max(...ages) : null,
        corruptSpoolLines: s.corruptLines,
      };
    },
    drainSpool() {
      return spool.drain(async (entries) => {
        await viaRedis(() => queue.enqueue(entries));
      });
    },
    counts: () => ({ toRedis, toSpool }),
    async close() {
      if (ownsSpool) await spool.close();
    },
  };
}
