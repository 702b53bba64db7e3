/**
 * Retry policy for the dead-letter replayer: exponential backoff with full jitter and a bounded
 * number of attempts. Pure: the random source and the clock reading are parameters, so the
 * policy is testable without timers and the same everywhere it is used.
 */

export interface BackoffOptions {
  /** Delay ceiling of the first retry, in ms. */
  readonly baseMs: number;
  /** No single delay ever exceeds this, in ms. */
  readonly maxMs: number;
  /** After this many failed attempts the entry is parked instead of retried. */
  readonly maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 5 * 60_000, maxAttempts: 8 };

/** A number in [0, 1), like Math.random. */
export type RandomSource = () => number;

/**
 * Ceiling of the delay before retry number `attempt` (1 = first retry): base * 2^(attempt-1),
 * capped. Computed without overflow for any attempt count.
 */
export function backoffCeiling(attempt: number, opts: Pick<BackoffOptions, 'baseMs' | 'maxMs'>): number {
  if (!Number.isFinite(attempt) || attempt < 1) return Math.min(opts.baseMs, opts.maxMs);
  // 2^52 already exceeds any sane cap; clamping the exponent keeps the product finite.
  const exp = Math.min(Math.floor(attempt) - 1, 52);
  return Math.min(opts.maxMs, opts.baseMs * 2 ** exp);
}

/**
 * Full jitter (delay uniform in [0, ceiling]): spreads the retries of many entries that failed
 * together, so a recovering dependency is not hit by a synchronized wave.
 */
export function backoffDelay(attempt: number, opts: Pick<BackoffOptions, 'baseMs' | 'maxMs'>, random: RandomSource): number {
  const r = random();
  // A faulty random source must not produce negative or NaN delays.
  const u = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(u * backoffCeiling(attempt, opts));
}

export type RetryDecision =
  | { readonly action: 'retry'; readonly delayMs: number; readonly nextAttemptAt: number }
  | { readonly action: 'park' };

/**
 * What to do after failed attempt number `attemptsSoFar` (counting the one that just failed)
 * observed at `now`: retry after a jittered delay, or park once the budget is spent.
 */
export function decideRetry(attemptsSoFar: number, now: number, opts: BackoffOptions, random: RandomSource): RetryDecision {
  if (attemptsSoFar >= opts.maxAttempts) return { action: 'park' };
  const delayMs = backoffDelay(attemptsSoFar, opts, random);
  return { action: 'retry', delayMs, nextAttemptAt: now + delayMs };
}
