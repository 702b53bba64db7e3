/**
 * Dead-letter queue in Redis, under the environment prefix.
 *
 * Layout (why a zset and not a list or stream: replay order is due time, which backoff keeps
 * changing per entry; a zset scored by nextAttemptAt answers "what is due now" with one range
 * query and re-scheduling is one ZADD; a list can only pop its head, and a stream can neither
 * reorder nor delay):
 *   ${env}:ais:dlq                 zset  id -> nextAttemptAt   (pending; a claim leases by moving it)
 *   ${env}:ais:dlq:entries         hash  id -> entry JSON       (payloads of pending entries)
 *   ${env}:ais:dlq:first           zset  id -> firstFailedAt    (oldest-age without reading payloads)
 *   ${env}:ais:dlq:parked          zset  id -> parkedAt
 *   ${env}:ais:dlq:parked:entries  hash  id -> entry JSON
 *
 * On a Redis Cluster the scripts and MULTI blocks touch several of these keys at once, which a
 * cluster allows only within one hash slot; there the names carry the hash tag `{dlq}`:
 * `${env}:ais:dlq:{dlq}:pending`, `...:{dlq}:entries`, `:first`, `:parked`, `:parked:entries`.
 * A standalone server keeps the names above, so queues written before cluster support still
 * replay. A queue does not move between the two: replay it empty before switching.
 */
import type { Cluster, Redis } from 'ioredis';
import { decodeEntry, encodeEntry } from './dead-letter-codec.js';
import type { DeadLetterEntry, DeadLetterQueue, DeadLetterStats, PurgeScope } from './dead-letter-queue.js';
import { LuaScript } from '../../utils/lua-script.js';

const ADD = new LuaScript(new URL('./dlq-add.lua', import.meta.url));
const CLAIM = new LuaScript(new URL('./dlq-claim.lua', import.meta.url));

export interface RedisDeadLetterKeys {
  readonly pending: string;
  readonly payloads: string;
  readonly first: string;
  readonly parked: string;
  readonly parkedPayloads: string;
}

/** Same rule as the hot-state keys (store/redis/key-layout.ts): a colon or brace would break prefix isolation. */
const ENV_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** `standalone`: the original names; `cluster`: the same keys under one hash tag (one slot). */
export type DeadLetterKeyLayout = 'standalone' | 'cluster';

export function redisDeadLetterKeys(env: string, layout: DeadLetterKeyLayout = 'standalone'): RedisDeadLetterKeys {
  if (!ENV_NAME.test(env)) throw new Error(`invalid Redis environment prefix ${JSON.stringify(env)}: use 1-64 of [A-Za-z0-9_.-]`);
  const base = `${env}:ais:dlq`;
  if (layout === 'cluster') {
    const tagged = `${base}:{dlq}`;
    return {
      pending: `${tagged}:pending`,
      payloads: `${tagged}:entries`,
      first: `${tagged}:first`,
      parked: `${tagged}:parked`,
      parkedPayloads: `${tagged}:parked:entries`,
    };
  }
  return {
    pending: base,
    payloads: `${base}:entries`,
    first: `${base}:first`,
    parked: `${base}:parked`,
    parkedPayloads: `${base}:parked:entries`,
  };
}

/** The key layout a client needs: tagged names on a cluster, the original names otherwise. */
export function deadLetterKeyLayoutOf(redis: Redis | Cluster): DeadLetterKeyLayout {
  return redis.isCluster ? 'cluster' : 'standalone';
}

export interface RedisDeadLetterQueueOptions {
  /** A standalone client or a Cluster; the key names follow (see the layout above). */
  readonly redis: Redis | Cluster;
  /** Environment prefix, e.g. `prod`; keys are `${env}:ais:dlq...`. */
  readonly env: string;
  /** Called for a stored payload that cannot be decoded (it is moved to parked, not retried). */
  readonly onCorrupt?: (id: string, reason: string) => void;
}

/** The Redis queue has no spool; `spooled` and `corruptSpoolLines` are always 0 here. */
export function createRedisDeadLetterQueue(opts: RedisDeadLetterQueueOptions): DeadLetterQueue {
  const { redis } = opts;
  const k = redisDeadLetterKeys(opts.env, deadLetterKeyLayoutOf(redis));

  async function removePendingAndAdd(id: string, next: readonly DeadLetterEntry[]): Promise<void> {
    const m = redis.multi().zrem(k.pending, id).zrem(k.first, id).hdel(k.payloads, id);
    for (const e of next) {
      m.hset(k.payloads, e.id, encodeEntry(e)).zadd(k.pending, e.nextAttemptAt, e.id).zadd(k.first, e.firstFailedAt, e.id);
    }
    await execOrThrow(m.exec());
  }

  return {
    async enqueue(entries) {
      if (entries.length === 0) return 'redis';
      const args: (string | number)[] = [];
      for (const e of entries) args.push(e.id, e.nextAttemptAt, e.firstFailedAt, encodeEntry(e));
      await ADD.run(redis, [k.pending, k.payloads, k.first, k.parkedPayloads], args);
      return 'redis';
    },

    async claimDue(now, limit, leaseMs) {
      const raw = await CLAIM.run(redis, [k.pending, k.payloads, k.first], [now, limit, leaseMs]);
      const flat = Array.isArray(raw) ? raw : [];
      const out: DeadLetterEntry[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const id = String(flat[i]);
        const decoded = decodeEntry(String(flat[i + 1]));
        if (decoded.ok) {
          out.push(decoded.entry);
        } else {
          opts.onCorrupt?.(id, decoded.reason);
          // Kept (as raw text) for inspection but never retried: it cannot be written anyway.
          await execOrThrow(
            redis
              .multi()
              .zrem(k.pending, id)
              .zrem(k.first, id)
              .hdel(k.payloads, id)
              .hset(k.parkedPayloads, id, String(flat[i + 1]))
              .zadd(k.parked, now, id)
              .exec(),
          );
        }
      }
      return out;
    },

    async complete(id) {
      await execOrThrow(redis.multi().zrem(k.pending, id).zrem(k.first, id).hdel(k.payloads, id).exec());
    },

    reschedule: removePendingAndAdd,

    async park(entry, parkedAt) {
      await execOrThrow(
        redis
          .multi()
          .zrem(k.pending, entry.id)
          .zrem(k.first, entry.id)
          .hdel(k.payloads, entry.id)
          .hset(k.parkedPayloads, entry.id, encodeEntry(entry))
          .zadd(k.parked, parkedAt, entry.id)
          .exec(),
      );
    },

    async requeueParked(now) {
      let moved = 0;
      for (;;) {
        const ids = await redis.zrange(k.parked, 0, 499);
        if (ids.length === 0) return moved;
        const payloads = await redis.hmget(k.parkedPayloads, ...ids);
        const before = moved;
        const m = redis.multi();
        ids.forEach((id, i) => {
          m.zrem(k.parked, id).hdel(k.parkedPayloads, id);
          const decoded = decodeEntry(payloads[i] ?? '');
          if (decoded.ok) {
            const e: DeadLetterEntry = { ...decoded.entry, attempts: 0, nextAttemptAt: now };
            m.hset(k.payloads, id, encodeEntry(e)).zadd(k.pending, now, id).zadd(k.first, e.firstFailedAt, id);
            moved++;
          } else {
            // Undecodable parked records stay parked: requeueing them would only park them again.
            m.hset(k.parkedPayloads, id, payloads[i] ?? '').zadd(k.parked, now, id);
          }
        });
        await execOrThrow(m.exec());
        if (moved === before) return moved;
      }
    },

    async listParked(limit) {
      const ids = await redis.zrange(k.parked, 0, Math.max(0, limit - 1));
      if (ids.length === 0) return [];
      const payloads = await redis.hmget(k.parkedPayloads, ...ids);
      const out: DeadLetterEntry[] = [];
      for (const p of payloads) {
        if (p === null) continue;
        const d = decodeEntry(p);
        if (d.ok) out.push(d.entry);
      }
      return out;
    },

    async purge(which: PurgeScope) {
      const pendingKeys = [k.pending, k.payloads, k.first];
      const parkedKeys = [k.parked, k.parkedPayloads];
      const m = redis.multi().zcard(k.pending).zcard(k.parked);
      if (which !== 'parked') m.del(...pendingKeys);
      if (which !== 'pending') m.del(...parkedKeys);
      const res = await execOrThrow(m.exec());
      const pending = Number(res[0] ?? 0);
      const parked = Number(res[1] ?? 0);
      return (which !== 'parked' ? pending : 0) + (which !== 'pending' ? parked : 0);
    },

    async stats(now): Promise<DeadLetterStats> {
      const res = await execOrThrow(redis.multi().zcard(k.pending).zcard(k.parked).zrange(k.first, 0, 0, 'WITHSCORES').exec());
      const oldest = res[2];
      const firstScore = Array.isArray(oldest) && oldest.length >= 2 ? Number(oldest[1]) : null;
      return {
        pending: Number(res[0] ?? 0),
        parked: Number(res[1] ?? 0),
        spooled: 0,
        oldestAgeMs: firstScore === null ? null : Math.max(0, now - firstScore),
        corruptSpoolLines: 0,
      };
    },
  };
}

/** MULTI/EXEC reports per-command errors in its result; surface them as a rejection. */
async function execOrThrow(p: Promise<[error: Error | null, result: unknown][] | null>): Promise<unknown[]> {
  const res = await p;
  if (res === null) throw new Error('Redis MULTI was aborted (EXEC returned null)');
  return res.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
