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
