/**
 * The bucket count is part of the key layout (vessel keys and index keys carry the bucket in
 * their hash tag), so a reader using a different count than the writer silently finds nothing.
 * The first writer records it in `${env}:ais:meta`; every later run reads it from there and
 * refuses an explicit setting that disagrees.
 */
import { activeKey, defaultBuckets, keyLayout, metaKey } from './key-layout.js';
import type { RedisClient } from './redis-client.js';
import { AisctlError } from '../../errors/aisctl-error.js';

/** The run's bucket setting disagrees with the environment's recorded layout: exit 1, one line. */
export class RedisLayoutError extends AisctlError {
  override readonly name = 'RedisLayoutError';
}

const BUCKETS_FIELD = 'buckets';

export interface ResolveBucketsOptions {
  /** The run's explicit setting (`--redis-buckets`); undefined: what is recorded, else the default. */
  readonly requested?: number | undefined;
  /** Whether the client is a cluster (decides the default: 64, else 1). */
  readonly cluster: boolean;
  /** Writers record the count at first use; read-only commands never write. */
  readonly record: boolean;
}

function parseRecorded(env: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 16_384) {
    throw new RedisLayoutError(
      `${metaKey(env)} field '${BUCKETS_FIELD}' holds '${raw}', not a bucket count 1..16384: fix or delete that key (HSET ${metaKey(env)} ${BUCKETS_FIELD} <n>)`,
    );
  }
  return n;
}

/** The recorded bucket count of env, or null when nothing is recorded yet. */
export async function readRecordedBuckets(redis: RedisClient, env: string): Promise<number | null> {
  const raw = await redis.hget(metaKey(env), BUCKETS_FIELD);
  return raw === null ? null : parseRecorded(env, raw);
}

/**
 * Data written before the count was recorded came from a 1-bucket writer (the only layout aisctl
 * wrote then): its one active index is bucket 0, and bucket 1 does not exist.
 */
async function inferLegacy(redis: RedisClient, env: string): Promise<number | null> {
  const layout = keyLayout(env, 2);
  // Two single-key calls: on a cluster the two keys live in different slots.
  const [zero, one] = await Promise.all([redis.exists(activeKey(layout, 0)), redis.exists(activeKey(layout, 1))]);
  return zero === 1 && one === 0 ? 1 : null;
}

function mismatch(env: string, recorded: number, requested: number): RedisLayoutError {
  return new RedisLayoutError(
    `env '${env}' in Redis is laid out in ${recorded} bucket${recorded === 1 ? '' : 's'} (recorded in ${metaKey(env)}), but this run asks for --redis-buckets ${requested}: ` +
      `drop --redis-buckets (the recorded count is used) or pass ${recorded}, or use another --env; the count of an existing environment cannot change without deleting its keys`,
  );
}

/** The bucket count to use for env: recorded, else inferred from legacy data, else requested or the default. */
export async function resolveBuckets(redis: RedisClient, env: string, opts: ResolveBucketsOptions): Promise<number> {
  const recorded = (await readRecordedBuckets(redis, env)) ?? (await inferLegacy(redis, env));
  if (recorded !== null) {
    if (opts.requested !== undefined && opts.requested !== recorded) throw mismatch(env, recorded, opts.requested);
    if (opts.record) await redis.hsetnx(metaKey(env), BUCKETS_FIELD, String(recorded));
    return recorded;
  }
  const chosen = opts.requested ?? defaultBuckets(opts.cluster);
  keyLayout(env, chosen);
  if (!opts.record) return chosen;
  // HSETNX: of two first writers starting together, one wins and the other adopts its count.
  if ((await redis.hsetnx(metaKey(env), BUCKETS_FIELD, String(chosen))) === 1) return chosen;
  const winner = await readRecordedBuckets(redis, env);
  if (winner === null || winner === chosen) return chosen;
  if (opts.requested !== undefined) throw mismatch(env, winner, opts.requested);
  return winner;
}
