/** Tuning of the in-process pipeline; the CLI builds it from flags and environment. */
export interface PipelineConfig {
  /** Fusion lanes: vessels are partitioned by MMSI so each vessel's window has exactly one owner. */
  readonly lanes: number;
  /** Largest batch handed to the stores in one write. */
  readonly maxBatch: number;
  /** How long a partial batch may wait for company before it is written (ms). */
  readonly lingerMs: number;
  /** Batches written concurrently; more batches wait and merge (group commit). */
  readonly maxConcurrentWrites: number;
  /** Above this many queued messages, producers are asked to wait (back-pressure). */
  readonly highWaterMessages: number;
  /** How often fusion windows are pruned (ms of event time). */
  readonly pruneEveryMs: number;
}

export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = {
  lanes: 8,
  maxBatch: 2_000,
  lingerMs: 5,
  maxConcurrentWrites: 4,
  highWaterMessages: 20_000,
  pruneEveryMs: 10_000,
};
