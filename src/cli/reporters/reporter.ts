/**
 * The reporter API the commands use. The types live with what produces them (src/harness,
 * src/metrics) so that those layers never import the CLI; this module re-exports them for the
 * reporters.
 */
export type { BreakerState, GateVerdict, LatencySummary, MetricsSnapshot, Reporter, RunInfo, RunSummary } from '../../harness/run-events.js';
