/**
 * The hot state's copy of PostgreSQL's soft delete (`vessels.deleted_at`): a per-bucket set of
 * deleted mmsis that every live read (`near`, `vessel`, the read API, the live map) leaves out,
 * so Redis-only readers hide a deleted vessel without asking PostgreSQL. As in PostgreSQL, a
 * deleted vessel's new reports are still applied (restore shows everything received meanwhile);
 * marks are never pruned or expired.
 */
import { bucketOf, deletedKey } from './key-layout.js';
import { layoutOf, type LayoutOptions } from './hot-state-reader.js';
import type { RedisClient } from './redis-client.js';

export async function markSoftDeleted(redis: RedisClient, env: string, mmsi: number, deleted: boolean, opts: LayoutOptions = {}): Promise<void> {
  const layout = layoutOf(env, opts);
  const key = deletedKey(layout, bucketOf(layout, mmsi));
  if (deleted) await redis.sadd(key, String(mmsi));
  else await redis.srem(key, String(mmsi));
}

/**
 * Makes the marks equal PostgreSQL's list of deleted vessels. Redis here may keep nothing on
 * disk, so after a restart (or a restore that could not reach Redis) the marks are rebuilt at
 * every pipeline start instead of trusting what is left. One bucket at a time: each command
 * touches one key, as a cluster requires. Returns the marks added and removed.
 */
export async function syncSoftDeleteMarks(
  redis: RedisClient,
  env: string,
  deleted: readonly number[],
  opts: LayoutOptions = {},
): Promise<{ added: number; removed: number }> {
  const layout = layoutOf(env, opts);
  const wanted = new Map<number, Set<string>>();
  for (const mmsi of deleted) {
    const b = bucketOf(layout, mmsi);
    let set = wanted.get(b);
    if (set === undefined) wanted.set(b, (set = new Set()));
    set.add(String(mmsi));
  }
  let added = 0;
  let removed = 0;
  for (let b = 0; b < layout.buckets; b++) {
    const key = deletedKey(layout, b);
    const want = wanted.get(b) ?? new Set<string>();
    const have = new Set(await redis.smembers(key));
    const missing = [...want].filter((m) => !have.has(m));
    const stale = [...have].filter((m) => !want.has(m));
    if (missing.length > 0) added += await redis.sadd(key, ...missing);
    if (stale.length > 0) removed += await redis.srem(key, ...stale);
  }
  return { added, removed };
}
