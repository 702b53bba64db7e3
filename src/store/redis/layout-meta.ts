/**
 * The bucket count is part of the key layout (vessel keys and index keys carry the bucket in
 * their hash tag), so a reader using a different count than the writer silently finds nothing.
 * The first writer records it in `${env}:ais:meta`; every later run reads it from there and
 * refuses an explicit setting that disagrees. The same hash records the layout version (an
 * environment of another layout is refused, never misread) and the writers' live TTL (the default
 * of `near --max-age` and `prune`).
 */
import { defaultBuckets, keyLayout, LAYOUT_VERSION, layout1ActiveKey, metaKey, newestKey } from './key-layout.js';
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

const LAYOUT_FIELD = 'layout';
const LIVE_TTL_FIELD = 'liveTtlMs';

function layoutRefusal(env: string, found: string): RedisLayoutError {
  return new RedisLayoutError(
    `env '${env}' in Redis holds hot state in layout ${found}, this aisctl reads and writes layout ${LAYOUT_VERSION} (compact shards, docs/storage.md "Redis"): ` +
      `delete the environment's keys and re-ingest (\`redis-cli --scan --pattern '${env}:ais:*' | xargs -r redis-cli unlink\`, on a cluster on every master), or use another --env`,
  );
}

/**
 * Refuses an environment written in another layout rather than misreading it: a recorded layout
 * other than this one, or the per-vessel keys of layout 1 (written before the version was
 * recorded, in `recorded` buckets, 1 when nothing was recorded).
 */
async function checkLayout(redis: RedisClient, env: string, recordedLayout: string | null, recordedBuckets: number | null): Promise<void> {
  if (recordedLayout !== null) {
    if (recordedLayout !== String(LAYOUT_VERSION)) throw layoutRefusal(env, recordedLayout);
    return;
  }
  // One EXISTS per bucket: on a cluster the keys live in different slots.
  const found = await Promise.all(Array.from({ length: recordedBuckets ?? 1 }, (_, b) => redis.exists(layout1ActiveKey(env, b))));
  if (found.some((n) => n === 1)) throw layoutRefusal(env, '1 (one hash per vessel)');
}

/**
 * Data written without the count recorded (a writer used as a library, not through ingest or
 * serve) came from a 1-bucket writer when bucket 0 has a newest-event key and bucket 1 none.
 */
async function inferUnrecorded(redis: RedisClient, env: string): Promise<number | null> {
  const layout = keyLayout(env, 2);
  // Two single-key calls: on a cluster the two keys live in different slots.
  const [zero, one] = await Promise.all([redis.exists(newestKey(layout, 0)), redis.exists(newestKey(layout, 1))]);
  return zero === 1 && one === 0 ? 1 : null;
}

function mismatch(env: string, recorded: number, requested: number): RedisLayoutError {
  return new RedisLayoutError(
    `env '${env}' in Redis is laid out in ${recorded} bucket${recorded === 1 ? '' : 's'} (recorded in ${metaKey(env)}), but this run asks for --redis-buckets ${requested}: ` +
      `drop --redis-buckets (the recorded count is used) or pass ${recorded}, or use another --env; the count of an existing environment cannot change without deleting its keys`,
  );
}

/** The bucket count to use for env: recorded, else inferred from unrecorded data, else requested or the default; another layout is refused. */
export async function resolveBuckets(redis: RedisClient, env: string, opts: ResolveBucketsOptions): Promise<number> {
  const [rawBuckets, rawLayout] = await redis.hmget(metaKey(env), BUCKETS_FIELD, LAYOUT_FIELD);
  const parsed = rawBuckets === null || rawBuckets === undefined ? null : parseRecorded(env, rawBuckets);
  await checkLayout(redis, env, rawLayout ?? null, parsed);
  if (opts.record) await redis.hsetnx(metaKey(env), LAYOUT_FIELD, String(LAYOUT_VERSION));
  const recorded = parsed ?? (await inferUnrecorded(redis, env));
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

/** Recorded by ingest and serve at start: readers (`near`, `vessel`, `prune`) default to it. */
export async function recordLiveTtl(redis: RedisClient, env: string, liveTtlMs: number): Promise<void> {
  await redis.hset(metaKey(env), LIVE_TTL_FIELD, String(Math.round(liveTtlMs)));
}

/** The live TTL recorded by the environment's writers, or null. */
export async function readLiveTtl(redis: RedisClient, env: string): Promise<number | null> {
  const raw = await redis.hget(metaKey(env), LIVE_TTL_FIELD);
  const n = raw === null ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : null;
}
