/**
 * What `near`, `vessel` and `prune` share about ages of live state: the positive durations of
 * `--live-ttl`, `--max-age` and `--older-than`, the environment's live TTL (recorded by its
 * writers, else the default) and the clock ages count against (store/redis/env-clock.ts).
 */
import type { RedisClient } from '../store/redis/redis-client.js';
import type { EnvClock } from '../store/redis/env-clock.js';
import { DEFAULT_LIVE_TTL_MS } from '../store/redis/live-ttl.js';
import { parseDurationMs, UsageError } from './config.js';

export function parsePositiveDuration(name: string, value: string): number {
  const ms = parseDurationMs(name, value);
  if (ms <= 0) throw new UsageError(`${name} must be longer than 0: got '${value}'`);
  return ms;
}

export interface LiveAge {
  /** The environment's live TTL (recorded by ingest/serve, else the default). */
  readonly liveTtlMs: number;
  readonly clock: EnvClock;
}

export async function readLiveAge(redis: RedisClient, env: string, buckets: number): Promise<LiveAge> {
  const [{ readLiveTtl }, { readEnvClock }] = await Promise.all([import('../store/redis/layout-meta.js'), import('../store/redis/env-clock.js')]);
  const liveTtlMs = (await readLiveTtl(redis, env)) ?? DEFAULT_LIVE_TTL_MS;
  return { liveTtlMs, clock: await readEnvClock(redis, env, liveTtlMs, Date.now(), { buckets }) };
}

/** JSON of the clock: which one, and "now" on it. */
export function clockJson(c: EnvClock): { kind: EnvClock['kind']; now: string; newestEvent: string | null } {
  return { kind: c.kind, now: new Date(c.nowMs).toISOString(), newestEvent: c.newestEventMs === null ? null : new Date(c.newestEventMs).toISOString() };
}
