import type { HistoryWriteResult, HotStateWriteResult, PositionRow, VesselStaticRow } from '../store/store-types.js';

/** What became of one batch: each store either acknowledged it or it was durably dead-lettered. */
export interface SinkOutcome {
  readonly postgres: 'ok' | 'dead-lettered';
  readonly redis: 'ok' | 'dead-lettered';
  readonly history: HistoryWriteResult | null;
  readonly hot: HotStateWriteResult | null;
  readonly postgresMs: number;
  readonly redisMs: number;
}

/**
 * Where the pipeline hands sealed batches. The real one writes PostgreSQL and Redis in parallel
 * through circuit breakers and dead-letters what fails; it resolves only once every row is
 * either stored or durably dead-lettered, which is what "accepted" means.
 */
export interface BatchSink {
  write(positions: readonly PositionRow[], hotPositions: readonly PositionRow[], statics: readonly VesselStaticRow[]): Promise<SinkOutcome>;
}
