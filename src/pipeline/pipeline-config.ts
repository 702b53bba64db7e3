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

/**
 * Bulk replay (`aisctl ingest`, `npm run bench:ingest`): throughput over latency. Partial
 * batches take one write slot only, so under sustained input batches fill towards 20,000 rows
 * and each batch's fixed cost (round trips, a transaction, a Lua call per 500 vessels) is shared
 * by more rows; a deeper queue keeps the writers fed. Measured on the 2-core machine, alternating
 * 1M-position runs: 63.6-67.6 k positions/s with these settings against 55.1-59.3 k with
 * maxBatch 10,000 and a 20,000-message queue.
 *
 * The queue holds five full batches: the four write slots busy and the next batch ready. At
 * 40,000 (two batches) the reader stopped while two slots stood idle; once Redis' share had
 * become cheap, the writes, not the CPU, were the limit (the main thread about half idle).
 * `npm run bench:ingest`, 3 alternating full runs: 81.4-90.4k positions/s, 0.50-0.53 of the COPY
 * ceiling, with 40,000; 95.7-108.7k, 0.62-0.65, with 100,000. Memory stays bounded by the queue.
 */
export const BULK_INGEST_PIPELINE = {
  maxBatch: 20_000,
  partialWriteSlots: 1,
  highWaterMessages: 100_000,
} satisfies Partial<PipelineConfig>;

export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = {
  lanes: 8,
  maxBatch: 2_000,
  lingerMs: 5,
  maxConcurrentWrites: 4,
  highWaterMessages: 20_000,
  pruneEveryMs: 10_000,
};
