import type { LatencySummary } from '../metrics/latency-summary.js';

export type { LatencySummary };

/**
 * The one reporter API. Commands emit these events and never print directly; a sink decides
 * how they look: the Ink TUI on a TTY, plain lines in CI or with --no-tui, JSON with --json.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

/** A point-in-time view of a running command; every field is cumulative unless named per-second. */
export interface MetricsSnapshot {
  readonly elapsedMs: number;
  readonly phase: 'warmup' | 'measure' | 'drain' | 'done';
  /** 0..1 through the run, null when unknown (e.g. stdin). */
  readonly progress: number | null;
  /** Completed messages per second over the last tick. */
  readonly throughput: number;
  readonly processed: number;
  readonly latency: LatencySummary;
  /**
   * Latency of the messages completed in this tick alone, for the per-second series of the
   * reports: the cumulative percentiles flatten a spike of a few seconds into nothing. Absent
   * when the command measures no latency per tick.
   */
  readonly intervalLatency?: LatencySummary;
  readonly deadlocks: number;
  /** Vessel-id cache hit rate 0..1, null before the first lookup. */
  readonly cacheHitRate: number | null;
  readonly dlqSize: number;
  /** Messages that started later than their intended send time (open-model backlog). */
  readonly late: number;
  /** Messages the scheduler gave up on (queue full / deadline passed). */
  readonly dropped: number;
  readonly errors: number;
  /** Messages waiting inside the pipeline (queued + in-flight). */
  readonly queued: number;
  readonly breakers: Readonly<Record<string, BreakerState>>;
  /** Quality 0..1 per source (fusion demotion). */
  readonly sourceQuality: Readonly<Record<string, number>>;
  /** Command-specific figures (e.g. stress: writes expected/found). */
  readonly extra: Readonly<Record<string, number | string>>;
}

export interface GateVerdict {
  /** As written by the user, e.g. `p99<20ms`. */
  readonly expression: string;
  readonly metric: string;
  readonly actual: number | null;
  readonly passed: boolean;
}

export interface RunSummary {
  readonly command: string;
  readonly name: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** Flat metric name -> value; the names gates refer to (throughput, p99, deadlocks, ...). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly gates: readonly GateVerdict[];
  /** Structured details specific to the command (counts by reason, per-source quality, ...). */
  readonly details: Readonly<Record<string, unknown>>;
  /** Where the JSON and Markdown reports were written, if any. */
  readonly reportFiles: readonly string[];
}

/** A span of the run in which a scenario injected a fault, on the snapshots' `elapsedMs` clock. */
export interface FaultWindow {
  readonly label: string;
  readonly fromMs: number;
  readonly toMs: number;
}

export interface RunInfo {
  readonly command: string;
  readonly name: string;
  /** Key settings to show in headers (rate, duration, strategy, ...). */
  readonly settings: Readonly<Record<string, string | number>>;
  /** Planned duration, if the run is time-bounded. */
  readonly plannedMs: number | null;
  /** Faults a scenario injects, shaded in the HTML report's charts. */
  readonly faults?: readonly FaultWindow[];
}

export interface Reporter {
  started(info: RunInfo): void;
  tick(snapshot: MetricsSnapshot): void;
  warning(message: string): void;
  finished(summary: RunSummary): Promise<void> | void;
}
