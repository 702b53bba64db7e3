/**
 * What the TUI shows, derived from reporter events by a pure reducer: the reporter keeps one of
 * these and re-renders the view with it, so the view itself holds no state and is easy to test.
 */
import type { MetricsSnapshot, RunInfo, RunSummary } from '../reporter.js';

/** Ticks of throughput and p99 kept for the sparklines. */
export const HISTORY_TICKS = 60;
const MAX_WARNINGS = 3;

export interface RunViewState {
  readonly info: RunInfo | null;
  readonly latest: MetricsSnapshot | null;
  readonly throughputHistory: readonly number[];
  /** p99 of each tick (NaN where nothing completed), so a latency spike shows when it happened. */
  readonly p99History: readonly number[];
  /** Most recent last. */
  readonly warnings: readonly string[];
  readonly warningCount: number;
  readonly summary: RunSummary | null;
}

export const INITIAL_RUN_VIEW: RunViewState = {
  info: null,
  latest: null,
  throughputHistory: [],
  p99History: [],
  warnings: [],
  warningCount: 0,
  summary: null,
};

export type RunViewEvent =
  | { readonly type: 'started'; readonly info: RunInfo }
  | { readonly type: 'tick'; readonly snapshot: MetricsSnapshot }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'finished'; readonly summary: RunSummary };

export function reduceRunView(state: RunViewState, event: RunViewEvent): RunViewState {
  switch (event.type) {
    case 'started':
      return { ...INITIAL_RUN_VIEW, info: event.info };
    case 'tick': {
      const s = event.snapshot;
      const latency = s.intervalLatency ?? s.latency;
      return {
        ...state,
        latest: s,
        // The final tick covers only the drain after the last send, a partial second whose rate
        // would read as a collapse at the end of every run.
        throughputHistory: s.phase === 'done' ? state.throughputHistory : [...state.throughputHistory, s.throughput].slice(-HISTORY_TICKS),
        p99History: [...state.p99History, latency.count > 0 ? latency.p99 : Number.NaN].slice(-HISTORY_TICKS),
      };
    }
    case 'warning':
      return { ...state, warnings: [...state.warnings, event.message].slice(-MAX_WARNINGS), warningCount: state.warningCount + 1 };
    case 'finished':
      return { ...state, summary: event.summary };
  }
}
