import type { SinkWriteResult } from '../resilience/resilient-sink.js';
import type { PositionRow, VesselStaticRow } from '../store/store-types.js';

/**
 * Where the pipeline hands sealed batches. The real one (resilient-sink.ts) writes PostgreSQL
 * and Redis in parallel through circuit breakers and dead-letters what fails; it resolves only
 * once every row is either stored or durably dead-lettered, which is what "accepted" means.
 */
export interface BatchSink {
  /** `hotPositions`: the rows hot state needs (default all), see store/newest-per-vessel.ts. */
  write(positions: readonly PositionRow[], statics: readonly VesselStaticRow[], hotPositions?: readonly PositionRow[]): Promise<SinkWriteResult>;
}
