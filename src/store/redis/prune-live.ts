/**
 * Pruning by age on the environment's clock: `aisctl prune` once, `serve` every
 * PRUNE_INTERVAL_MS. The cut is the clock's "now" minus the age, so a replayed archive is pruned
 * relative to its own newest event, exactly as `near --max-age` filters it.
 */
import { readEnvClock, type EnvClock } from './env-clock.js';
import type { LayoutOptions } from './hot-state-reader.js';
import { PRUNE_INTERVAL_MS } from './live-ttl.js';
import { pruneInactive } from './prune-inactive.js';
import type { RedisClient } from './redis-client.js';
import { startSerialSchedule, type SerialSchedule } from '../../utils/serial-schedule.js';

export interface PruneResult {
  readonly removed: number;
  /** Vessels last heard before this time (ms) were removed. */
  readonly cutMs: number;
  readonly clock: EnvClock;
}

export interface PruneByAgeOptions extends LayoutOptions {
  /** Vessels not heard for longer than this are removed. */
  readonly olderThanMs: number;
  /** The environment's live TTL: decides between the wall and the replay clock. */
  readonly liveTtlMs: number;
  readonly wallMs: number;
}

export async function pruneByAge(redis: RedisClient, env: string, opts: PruneByAgeOptions): Promise<PruneResult> {
  const clock = await readEnvClock(redis, env, opts.liveTtlMs, opts.wallMs, opts);
  const cutMs = clock.nowMs - opts.olderThanMs;
  return { removed: await pruneInactive(redis, env, cutMs, opts), cutMs, clock };
}

/** Prunes at start and then every everyMs; one run at a time; stop() waits for a run in progress. */
export function startPruneSchedule(
  redis: RedisClient,
  env: string,
  opts: LayoutOptions & {
    readonly liveTtlMs: number;
    readonly everyMs?: number;
    readonly nowMs?: () => number;
    readonly onResult: (r: PruneResult) => void;
    readonly onError: (err: unknown) => void;
  },
): SerialSchedule {
  const now = opts.nowMs ?? Date.now;
  const run = (): Promise<PruneResult> => pruneByAge(redis, env, { ...opts, olderThanMs: opts.liveTtlMs, wallMs: now() });
  return startSerialSchedule(opts.everyMs ?? PRUNE_INTERVAL_MS, run, opts.onResult, opts.onError);
}
