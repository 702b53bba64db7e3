/**
 * One circuit breaker per dependency (Redis, PostgreSQL), built on cockatiel rather than hand
 * rolled: N consecutive failures open the circuit, calls are refused at once while it is open,
 * and after `halfOpenAfterMs` one probe call is let through (half-open); its outcome closes or
 * re-opens the circuit. A hung call is turned into a failure by a per-call timeout, so a
 * dependency that stops answering (rather than refusing) also opens the circuit.
 *
 * Only failures that say something about the dependency's health count (see failure-kind.ts):
 * a batch PostgreSQL refuses for its data must not cut the pipeline off from a healthy database.
 */
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import { withTimeout } from './with-timeout.js';
import { classifyFailure, describeError } from './failure-kind.js';

export type DependencyName = 'redis' | 'postgres';
/** Same strings as the reporter's BreakerState (kept local: resilience does not import the CLI). */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface DependencyBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly threshold?: number;
  /** Time the circuit stays open before a half-open probe is allowed, ms. */
  readonly halfOpenAfterMs?: number;
  /** A call taking longer than this fails (and counts), ms; 0 disables. */
  readonly callTimeoutMs?: number;
}

export const DEFAULT_BREAKER_OPTIONS: Required<DependencyBreakerOptions> = {
  threshold: 5,
  halfOpenAfterMs: 10_000,
  callTimeoutMs: 10_000,
};

export interface BreakerStats {
  readonly state: BreakerState;
  /** Times the circuit went from closed or half-open to open. */
  readonly opens: number;
  /** Calls refused without being attempted because the circuit was open. */
  readonly rejections: number;
  /** Attempted calls that failed and counted against the dependency. */
  readonly failures: number;
  readonly successes: number;
  /** The last failure that counted against the dependency (describeError), null before any. */
  readonly lastFailure: string | null;
}

export type BreakerListener = (state: BreakerState, name: DependencyName) => void;
/** Every attempted call that failed, counted or not (an open circuit's refusals are not calls). */
export type FailureListener = (error: unknown, name: DependencyName) => void;

/**
 * The refusal of an open circuit. It names the failure that opened it: a batch dead-lettered
 * while the circuit is open then records why the dependency is failing (`42P05 prepared statement
 * "x" already exists`), not only that the circuit was open. Still a cockatiel BrokenCircuitError,
 * so it classifies as `unavailable` like any refusal.
 */
export class BreakerOpenError extends BrokenCircuitError {
  override readonly name = 'BreakerOpenError';
  constructor(
    readonly dependency: DependencyName,
    /** describeError of the last counted failure; null when none has failed yet (opened by hand with isolate). */
    readonly lastFailure: string | null,
  ) {
    super(`${dependency} circuit breaker is open${lastFailure === null ? '' : ` (last failure: ${lastFailure})`}`);
  }
}

export interface DependencyBreaker {
  readonly name: DependencyName;
  readonly state: BreakerState;
  /**
   * Runs `fn` through the breaker. Throws BreakerOpenError (a cockatiel BrokenCircuitError) when
   * open; a call past `callTimeoutMs` is given up (the operation itself is not cancelled) and
   * counts as a failure.
   */
  execute<T>(fn: () => Promise<T>): Promise<T>;
  /** Subscribes to state changes; returns the unsubscribe function. */
  onStateChange(listener: BreakerListener): () => void;
  /** Subscribes to the failures of attempted calls; returns the unsubscribe function. */
  onFailure(listener: FailureListener): () => void;
  stats(): BreakerStats;
  /** Holds the circuit open (maintenance, tests) until the returned function is called. */
  isolate(): () => void;
}

export interface DependencyBreakers {
  readonly redis: DependencyBreaker;
  readonly postgres: DependencyBreaker;
  /** For metrics snapshots: `{ redis: 'closed', postgres: 'open' }`. */
  states(): Record<DependencyName, BreakerState>;
  onStateChange(listener: BreakerListener): () => void;
}

export function isBreakerOpenError(err: unknown): boolean {
  return err instanceof BrokenCircuitError;
}

function toState(s: CircuitState): BreakerState {
  switch (s) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
  }
}

export function createDependencyBreaker(name: DependencyName, options: DependencyBreakerOptions = {}): DependencyBreaker {
  const opts = { ...DEFAULT_BREAKER_OPTIONS, ...options };
  if (!(opts.threshold >= 1)) throw new RangeError(`breaker ${name}: threshold must be >= 1, got ${opts.threshold}`);
  const policy = circuitBreaker(
    handleWhen((err) => classifyFailure(err) !== 'rejected'),
    { halfOpenAfter: opts.halfOpenAfterMs, breaker: new ConsecutiveBreaker(opts.threshold) },
  );
  // The call deadline is withTimeout (a timer and a race), not cockatiel's timeout policy: that
  // builds an AbortController per call, with an event listener map, for a signal no write uses
  // (a sent Redis command or SQL statement cannot be cancelled by it). Alive for the whole
  // write, they went to the old generation: 20 of the 348 MB that survived young-generation GC
  // in 30 s of `aisctl load --rate 10000` (sampled heap profile). Same behaviour: the caller
  // stops waiting at the deadline, the breaker counts it as a failure (ETIMEDOUT: unavailable).
  const callTimeoutMs = opts.callTimeoutMs;

  let opens = 0;
  let rejections = 0;
  let failures = 0;
  let successes = 0;
  let last: BreakerState = 'closed';
  let lastFailure: string | null = null;
  const listeners = new Set<BreakerListener>();
  const failureListeners = new Set<FailureListener>();

  policy.onStateChange((s) => {
    const next = toState(s);
    if (next === last) return;
    if (next === 'open') opens++;
    last = next;
    for (const l of listeners) {
      try {
        l(next, name);
      } catch {
        // A faulty observer (metrics, TUI) must not break the write path.
      }
    }
  });
  policy.onFailure((e) => {
    const error = 'error' in e.reason ? e.reason.error : undefined;
    if (e.handled) {
      failures++;
      if (error !== undefined) lastFailure = describeError(error);
    }
    if (error === undefined) return;
    for (const l of failureListeners) {
      try {
        l(error, name);
      } catch {
        // Same as state listeners: an observer must not break the write path.
      }
    }
  });
  policy.onSuccess(() => {
    successes++;
  });

  return {
    name,
    get state() {
      return toState(policy.state);
    },
    async execute<T>(fn: () => Promise<T>): Promise<T> {
      try {
        return await policy.execute(() => withTimeout(fn(), callTimeoutMs));
      } catch (err) {
        if (err instanceof BrokenCircuitError) {
          rejections++;
          throw new BreakerOpenError(name, lastFailure);
        }
        throw err;
      }
    },
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onFailure(listener) {
      failureListeners.add(listener);
      return () => failureListeners.delete(listener);
    },
    stats: () => ({ state: toState(policy.state), opens, rejections, failures, successes, lastFailure }),
    isolate() {
      const handle = policy.isolate();
      return () => handle.dispose();
    },
  };
}

export function createDependencyBreakers(
  options: { readonly redis?: DependencyBreakerOptions; readonly postgres?: DependencyBreakerOptions } = {},
): DependencyBreakers {
  const redis = createDependencyBreaker('redis', options.redis);
  const postgres = createDependencyBreaker('postgres', options.postgres);
  return {
    redis,
    postgres,
    states: () => ({ redis: redis.state, postgres: postgres.state }),
    onStateChange(listener) {
      const a = redis.onStateChange(listener);
      const b = postgres.onStateChange(listener);
      return () => {
        a();
        b();
      };
    },
  };
}
