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

const BULK_QUEUED_BATCHES = 5;

/**
 * Bulk replay (`aisctl ingest`, `aisctl work`, `npm run bench:ingest`): throughput over latency.
 * Partial batches take one write slot only, so under sustained input batches fill towards
 * `maxBatch` rows and each batch's fixed cost (round trips, a transaction, the vessel touch) is
 * shared by more rows; the queue holds five full batches, the four write slots busy and the
 * next batch ready (at two, the reader stopped while two slots stood idle).
 *
 * Measured on the 2-core machine, 1M positions of 10,000 vessels: 63.6-67.6k positions/s with
 * batches of 20,000 against 55.1-59.3k with 10,000 (an early round); a queue of 100,000 against
 * 40,000: 95.7-108.7k against 81.4-90.4k positions/s (`bench:ingest`, 3 alternating pairs).
 * Batches of 40,000 against 20,000 (2026-12-06, once the writer ran with JIT off, which had made
 * bigger upserts slower): `aisctl ingest` of the benchmark's file, 2 alternating pairs, 8.05 and
 * 8.17 s against 9.18 and 9.21 s (125-127k against 111k positions/s), peak RSS 309-323 MB against
 * 290-293 MB; PostgreSQL's CPU per position 5.4 against 6.3 us (fewer vessel touches and
 * commits per row) and Redis' 1.6 against 2.5 us (four positions per vessel in a batch, not two:
 * only the newest goes to Redis). With 100,000 vessels, where a batch holds under one position
 * per vessel, 66.8k against 63.4k positions/s (one pair).
 */
export const BULK_INGEST_PIPELINE = bulkIngestPipeline(40_000);

/** The bulk settings for batches of at most `maxBatch` rows: the queue holds five of them. */
export function bulkIngestPipeline(maxBatch: number): Pick<PipelineConfig, 'maxBatch' | 'partialWriteSlots' | 'highWaterMessages'> {
  return { maxBatch, partialWriteSlots: 1, highWaterMessages: BULK_QUEUED_BATCHES * maxBatch };
}

export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = {
  lanes: 8,
  maxBatch: 2_000,
  lingerMs: 5,
  maxConcurrentWrites: 4,
  highWaterMessages: 20_000,
  pruneEveryMs: 10_000,
};
