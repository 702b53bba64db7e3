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
  /**
   * A partial batch (under `maxBatch`) is written only while fewer than this many writes are in
   * flight; above that only full batches take the free slots. Default `maxConcurrentWrites`: any
   * free slot writes whatever is pending, lowest latency. 1 (a partial batch only when nothing is
   * in flight) makes batches fill up under sustained load, so each batch's fixed cost (5 to 7
   * round trips to PostgreSQL, each waiting behind the event loop) is shared by more rows: ~30 %
   * more throughput in bench/ingest.bench.ts, at the price of latency at moderate load.
   */
  readonly partialWriteSlots?: number;
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
