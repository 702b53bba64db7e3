/**
 * Retry policy for the dead-letter replayer: exponential backoff with full jitter and a bounded
 * number of attempts. Pure: the random source and the clock reading are parameters, so the
 * policy is testable without timers. The delay itself is the shared one (utils/backoff-delay.ts).
 */
import { backoffDelay, type BackoffDelayOptions, type RandomSource } from '../../utils/backoff-delay.js';

export interface BackoffOptions extends BackoffDelayOptions {
  /** After this many failed attempts the entry is parked instead of retried. */
  readonly maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 5 * 60_000, maxAttempts: 8 };

export type RetryDecision = { readonly action: 'retry'; readonly delayMs: number; readonly nextAttemptAt: number } | { readonly action: 'park' };

/**
 * What to do after failed attempt number `attemptsSoFar` (counting the one that just failed)
 * observed at `now`: retry after a jittered delay, or park once the budget is spent.
 */
export function decideRetry(attemptsSoFar: number, now: number, opts: BackoffOptions, random: RandomSource): RetryDecision {
  if (attemptsSoFar >= opts.maxAttempts) return { action: 'park' };
  const delayMs = backoffDelay(attemptsSoFar, opts, random);
  return { action: 'retry', delayMs, nextAttemptAt: now + delayMs };
}
