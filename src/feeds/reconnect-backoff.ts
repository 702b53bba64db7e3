/**
 * When a client feed tries again after a lost or failed connection: exponential backoff with full
 * jitter, capped, with no attempt limit (a feed is always on). The delay is the shared one
 * (utils/backoff-delay.ts); this adds the attempt count and when it starts over. Pure: the random
 * source is a parameter.
 */
import { backoffDelay, type RandomSource } from '../utils/backoff-delay.js';

export interface ReconnectBackoffOptions {
  /** Ceiling of the first delay, ms. */
  readonly baseMs: number;
  /** No delay exceeds this, ms. */
  readonly maxMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: ReconnectBackoffOptions = { baseMs: 500, maxMs: 30_000 };

export class ReconnectBackoff {
  private failures = 0;

  constructor(
    private readonly opts: ReconnectBackoffOptions,
    private readonly random: RandomSource = Math.random,
  ) {}

  /** Attempts since the last connection that delivered data. */
  get attempts(): number {
    return this.failures;
  }

  /** The delay before the next attempt; each call is one more failure. */
  next(): number {
    this.failures++;
    return backoffDelay(this.failures, this.opts, this.random);
  }

  /**
   * Called once a connection delivered data, not merely on connect: a peer that accepts and hangs
   * up at once would otherwise be redialled in a tight loop at the first, smallest delay.
   */
  reset(): void {
    this.failures = 0;
  }
}
