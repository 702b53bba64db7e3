import { activeKey, geoKey, vesselKey } from './key-layout.js';
import { allBuckets, layoutOf, type LayoutOptions } from './hot-state-reader.js';
import { LuaScript } from '../../utils/lua-script.js';
import type { RedisClient } from './redis-client.js';

const PRUNE = new LuaScript(new URL('./prune-inactive.lua', import.meta.url));

/**
 * Removes vessels whose last report is older than olderThanMs from the hash, geo and active
 * structures together (atomically per vessel group), so the three never disagree. Returns the
 * number of vessels removed.
 */
export async function pruneInactive(redis: RedisClient, env: string, olderThanMs: number, opts: LayoutOptions = {}): Promise<number> {
  const layout = layoutOf(env, opts);
  let removed = 0;
  for (const b of allBuckets(layout)) {
    for (;;) {
      const stale = await redis.zrangebyscore(activeKey(layout, b), '-inf', `(${olderThanMs}`, 'LIMIT', 0, 500);
      if (stale.length === 0) break;
      const n = Number(
        await PRUNE.run(redis, [geoKey(layout, b), activeKey(layout, b), ...stale.map((m) => vesselKey(layout, Number(m)))], [olderThanMs, ...stale]),
      );
      // Candidates that reported again meanwhile are kept and no longer match the next scan.
      removed += n;
    }
  }
  return removed;
}
