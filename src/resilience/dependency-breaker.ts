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
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  timeout,
  wrap,
} from 'cockatiel';
import { classifyFailure } from './failure-kind.js';

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
}

export type BreakerListener = (state: BreakerState, name: DependencyName) => void;

export interface DependencyBreaker {
  readonly name: DependencyName;
  readonly state: BreakerState;
  /**
   * Runs `fn` through the breaker. Throws BreakerOpenError (a cockatiel BrokenCircuitError) when
   * open. `signal` is aborted when the call times out (not when it returns).
   */
  execute<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Subscribes to state changes; returns the unsubscribe function. */
  onStateChange(listener: BreakerListener): () => void;
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
  // abortOnReturn false: by default cockatiel aborts each call's signal once the call returns,
  // which builds a DOMException (with a stack trace) per call: 0.3 % of the ingest CPU in a
  // --cpu-prof of bench/ingest.bench.ts, for a signal no caller listens to after the call. A
  // timed-out call's signal is still aborted.
  const guarded =
    opts.callTimeoutMs > 0
      ? wrap(policy, timeout(opts.callTimeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }))
      : policy;

  let opens = 0;
  let rejections = 0;
  let failures = 0;
  let successes = 0;
  let last: BreakerState = 'closed';
  const listeners = new Set<BreakerListener>();

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
    if (e.handled) failures++;
  });
  policy.onSuccess(() => {
    successes++;
  });

  return {
    name,
    get state() {
      return toState(policy.state);
    },
    async execute<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      try {
        return await guarded.execute(({ signal }) => fn(signal));
      } catch (err) {
        if (err instanceof BrokenCircuitError) rejections++;
        throw err;
      }
    },
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => ({ state: toState(policy.state), opens, rejections, failures, successes }),
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
