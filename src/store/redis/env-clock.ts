/**
 * The clock an environment's ages count against. Live input is judged by the wall clock; a
 * replay of old data (a 2023 archive ingested today) by the newest event time stored, so its
 * vessels are live relative to their own time instead of all being a year old. The rule: when the
 * newest stored event is older than the live TTL by the wall clock, nothing live is arriving and
 * the environment runs on its replay clock; otherwise on the wall clock. `near --max-age`, the
 * ages `near` and `vessel` print, and pruning (`prune`, `serve`) all use this one clock.
 */
import { allBuckets, layoutOf, type LayoutOptions } from './hot-state-reader.js';
import { newestKey } from './key-layout.js';
import type { RedisClient } from './redis-client.js';

export type ClockKind = 'wall' | 'replay';

export interface EnvClock {
  /** "Now" for ages and cuts, ms. */
  readonly nowMs: number;
  readonly kind: ClockKind;
  /** Newest event time stored in the environment (null when nothing was written). */
  readonly newestEventMs: number | null;
}

/** Pure: which clock applies, given the wall clock, the newest stored event and the live TTL. */
export function chooseClock(wallMs: number, newestEventMs: number | null, liveTtlMs: number): EnvClock {
  if (newestEventMs !== null && wallMs - newestEventMs > liveTtlMs) return { nowMs: newestEventMs, kind: 'replay', newestEventMs };
  return { nowMs: wallMs, kind: 'wall', newestEventMs };
}

/** Newest event time recorded by the writers over all buckets (one GET per bucket, in parallel). */
async function readNewestEvent(redis: RedisClient, env: string, opts: LayoutOptions = {}): Promise<number | null> {
  const layout = layoutOf(env, opts);
  const values = await Promise.all(allBuckets(layout).map((b) => redis.get(newestKey(layout, b))));
  let newest: number | null = null;
  for (const v of values) {
    const n = v === null ? NaN : Number(v);
    if (Number.isFinite(n) && (newest === null || n > newest)) newest = n;
  }
  return newest;
}

export async function readEnvClock(redis: RedisClient, env: string, liveTtlMs: number, wallMs: number, opts: LayoutOptions = {}): Promise<EnvClock> {
  return chooseClock(wallMs, await readNewestEvent(redis, env, opts), liveTtlMs);
}

/** One line for people: "wall clock" or "replay clock (newest event 2023-05-01T12:00:00.000Z)". */
export function describeClock(c: EnvClock): string {
  return c.kind === 'wall' ? 'wall clock' : `replay clock (newest event ${new Date(c.nowMs).toISOString()})`;
}
