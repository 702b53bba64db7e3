/**
 * The per-second time series of a run, as the JSON report carries it and the HTML report charts
 * it. Derived from the reporter's ticks (one a second) rather than counted separately, so the
 * charts show exactly what the terminal showed while the run was going.
 */
import type { FaultWindow, MetricsSnapshot } from './run-events.js';

export interface SeriesPoint {
  /** End of the tick, from the start of the run (warm-up included). */
  readonly elapsedMs: number;
  readonly phase: MetricsSnapshot['phase'];
  /** Completed messages (or rows, for stress) per second over the tick. */
  readonly throughput: number;
  /** Latency percentiles of the tick, ms; null when nothing completed in it. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  /** New in this tick. */
  readonly deadlocks: number;
  readonly errors: number;
}

export interface RunSeries {
  /**
   * `tick`: each point's percentiles cover its own tick. `cumulative`: the command measured no
   * latency per tick (or the report predates it), so they cover the run up to the point.
   */
  readonly latencyScope: 'tick' | 'cumulative';
  readonly points: readonly SeriesPoint[];
  readonly faults: readonly FaultWindow[];
}

export function seriesFromSnapshots(snapshots: readonly MetricsSnapshot[], faults: readonly FaultWindow[] = []): RunSeries {
  const perTick = snapshots.length > 0 && snapshots.every((s) => s.intervalLatency !== undefined);
  let deadlocks = 0;
  let errors = 0;
  const points = snapshots.map((s): SeriesPoint => {
    const latency = perTick && s.intervalLatency ? s.intervalLatency : s.latency;
    const measured = latency.count > 0;
    // Counters can only grow; a reset (never expected) must not chart as a negative count.
    const point: SeriesPoint = {
      elapsedMs: s.elapsedMs,
      phase: s.phase,
      throughput: Number.isFinite(s.throughput) ? s.throughput : 0,
      p50: measured ? latency.p50 : null,
      p95: measured ? latency.p95 : null,
      p99: measured ? latency.p99 : null,
      deadlocks: Math.max(0, s.deadlocks - deadlocks),
      errors: Math.max(0, s.errors - errors),
    };
    deadlocks = Math.max(deadlocks, s.deadlocks);
    errors = Math.max(errors, s.errors);
    return point;
  });
  return { latencyScope: perTick ? 'tick' : 'cumulative', points, faults: [...faults] };
}
