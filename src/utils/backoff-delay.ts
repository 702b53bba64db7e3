/**
 * The one retry delay: exponential backoff with full jitter, capped. The dead-letter replayer,
 * the history writer's deadlock retries and the live feeds' reconnects all wait this way. Pure:
 * the random source is a parameter, so the delays are testable without timers.
 */
import type { RandomSource } from './seeded-random.js';

export type { RandomSource } from './seeded-random.js';

export interface BackoffDelayOptions {
  /** Delay ceiling of the first retry, in ms. */
  readonly baseMs: number;
  /** No single delay ever exceeds this, in ms. */
  readonly maxMs: number;
}

/**
 * Ceiling of the delay before retry number `attempt` (1 = first retry): base * 2^(attempt-1),
 * capped. Computed without overflow for any attempt count.
 */
export function backoffCeiling(attempt: number, opts: BackoffDelayOptions): number {
  if (!Number.isFinite(attempt) || attempt < 1) return Math.min(opts.baseMs, opts.maxMs);
  // 2^52 already exceeds any sane cap; clamping the exponent keeps the product finite.
  const exp = Math.min(Math.floor(attempt) - 1, 52);
  return Math.min(opts.maxMs, opts.baseMs * 2 ** exp);
}

/**
 * Full jitter (delay uniform in [0, ceiling)): spreads the retries of many callers that failed
 * together, so a recovering dependency is not hit by a synchronized wave and writers that
 * deadlocked once do not collide again.
 */
export function backoffDelay(attempt: number, opts: BackoffDelayOptions, random: RandomSource): number {
  const r = random();
  // A faulty random source must not produce negative or NaN delays.
  const u = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(u * backoffCeiling(attempt, opts));
}
