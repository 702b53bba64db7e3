import { bucketPrefix, newestKey } from './key-layout.js';
import { allBuckets, layoutOf, type LayoutOptions } from './hot-state-reader.js';
import { LuaScript } from '../../utils/lua-script.js';
import type { RedisClient } from './redis-client.js';

const PRUNE = new LuaScript(new URL('./prune-inactive.lua', import.meta.url));

/** Shards per script call: bounds how long one call blocks Redis (~100 vessels each at most). */
const SHARDS_PER_CALL = 64;

/**
 * Removes vessels whose last report is older than olderThanMs (a time, ms, on the environment's
 * clock: see env-clock.ts) from the state, geo and active structures together, atomically per
 * range of shards, so the three never disagree. Returns the number of vessels removed.
 */
export async function pruneInactive(redis: RedisClient, env: string, olderThanMs: number, opts: LayoutOptions = {}): Promise<number> {
  const layout = layoutOf(env, opts);
  const calls: Promise<unknown>[] = [];
  for (const b of allBuckets(layout)) {
    for (let s = 0; s < layout.shards; s += SHARDS_PER_CALL) {
      const to = Math.min(layout.shards, s + SHARDS_PER_CALL);
      calls.push(PRUNE.run(redis, [newestKey(layout, b)], [bucketPrefix(layout, b), s, to, Math.trunc(olderThanMs)]));
    }
  }
  let removed = 0;
  for (const n of await Promise.all(calls)) removed += Number(n);
  return removed;
}
