/**
 * Bytes per live vessel: MEMORY USAGE (SAMPLES 0, exact) summed over every shard's state hash,
 * geo set and active set, divided by the vessels in the active sets. Reported by `aisctl doctor`
 * and asserted by the memory test (issue 11: 300 B or fewer).
 */
import { activeKey, geoKey, stateKey } from './key-layout.js';
import { allBuckets, layoutOf, type LayoutOptions } from './hot-state-reader.js';
import type { RedisClient } from './redis-client.js';

export interface HotStateMemory {
  readonly vessels: number;
  readonly stateBytes: number;
  readonly geoBytes: number;
  readonly activeBytes: number;
  /** Null when no vessel is stored. */
  readonly bytesPerVessel: number | null;
}

async function usage(redis: RedisClient, key: string): Promise<number> {
  return Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
}

export async function measureHotStateMemory(redis: RedisClient, env: string, opts: LayoutOptions = {}): Promise<HotStateMemory> {
  const layout = layoutOf(env, opts);
  let stateBytes = 0;
  let geoBytes = 0;
  let activeBytes = 0;
  let vessels = 0;
  for (const b of allBuckets(layout)) {
    const shards = Array.from({ length: layout.shards }, (_, s) => s);
    const [st, geo, act, cards] = await Promise.all([
      Promise.all(shards.map((s) => usage(redis, stateKey(layout, b, s)))),
      Promise.all(shards.map((s) => usage(redis, geoKey(layout, b, s)))),
      Promise.all(shards.map((s) => usage(redis, activeKey(layout, b, s)))),
      Promise.all(shards.map((s) => redis.zcard(activeKey(layout, b, s)))),
    ]);
    stateBytes += st.reduce((x, y) => x + y, 0);
    geoBytes += geo.reduce((x, y) => x + y, 0);
    activeBytes += act.reduce((x, y) => x + y, 0);
    vessels += cards.reduce((x, y) => x + y, 0);
  }
  const total = stateBytes + geoBytes + activeBytes;
  return { vessels, stateBytes, geoBytes, activeBytes, bytesPerVessel: vessels === 0 ? null : total / vessels };
}
