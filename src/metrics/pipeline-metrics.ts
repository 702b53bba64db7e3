/**
 * The one Prometheus registry of a running aisctl. Names follow Prometheus conventions
 * (aisctl_ prefix, base units, counters end in _total) and no label is unbounded: never an
 * MMSI; `source` is bounded by MAX_SOURCE_LABELS because sources come from configuration
 * and station ids, and a feed with thousands of stations must not explode the series count.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { createFeedMetrics, type FeedMetrics } from './feed-metrics.js';
import { UnlabelledHistogram } from './unlabelled-histogram.js';

/** SLO boundaries (seconds): 20 ms is the sprint target's p99, 50 ms the alert threshold. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const MAX_SOURCE_LABELS = 64;

export interface PipelineMetrics {
  readonly registry: Registry;
  readonly messages: Counter<'outcome'>;
  readonly rejections: Counter<'reason'>;
  readonly fusionDecisions: Counter<'decision'>;
  readonly positionsWritten: Counter<'result'>;
  readonly vesselsInserted: Counter;
  readonly endToEndLatency: Histogram;
  readonly batchWriteDuration: Histogram<'store'>;
  readonly deadlocks: Counter;
  readonly cacheLookups: Counter<'result'>;
  readonly dlqEntries: Gauge<'state'>;
  readonly deadLettered: Counter<'target'>;
  readonly breakerState: Gauge<'dependency' | 'state'>;
  readonly sourceQuality: Gauge<'source'>;
  readonly queuedMessages: Gauge;
  readonly inFlightBatches: Gauge;
  /** `aisctl serve --feed`: series appear once a feed uses them. */
  readonly feeds: FeedMetrics;
  setSourceQuality(quality: Readonly<Record<string, number>>): void;
  setBreakerState(dependency: string, state: 'closed' | 'open' | 'half-open'): void;
}

export function createPipelineMetrics(options: { defaultMetrics?: boolean } = {}): PipelineMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'aisctl_' });
  const registers = [registry];

  const sourceQuality = new Gauge({
    name: 'aisctl_source_quality_ratio',
    help: 'Fusion quality of each source (EWMA of evidence, 0..1); weight is multiplied by it',
    labelNames: ['source'] as const,
    registers,
  });
  const knownSources = new Set<string>();

  const breakerState = new Gauge({
    name: 'aisctl_breaker_state',
    help: 'Circuit breaker state per dependency: 1 for the current state, 0 for the others',
    labelNames: ['dependency', 'state'] as const,
    registers,
  });

  return {
    registry,
    messages: new Counter({
      name: 'aisctl_messages_total',
      help: 'Normalized messages by outcome (accepted, duplicate, rejected, ignored)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    rejections: new Counter({
      name: 'aisctl_rejections_total',
      help: 'Input refused before the stores, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    fusionDecisions: new Counter({
      name: 'aisctl_fusion_decisions_total',
      help: 'Fusion decisions by kind (live, history, upgrade, duplicate)',
      labelNames: ['decision'] as const,
      registers,
    }),
    positionsWritten: new Counter({
      name: 'aisctl_positions_written_total',
      help: 'Position rows sent to PostgreSQL by result (inserted, updated, unchanged)',
      labelNames: ['result'] as const,
      registers,
    }),
    vesselsInserted: new Counter({
      name: 'aisctl_vessels_inserted_total',
      help: 'Vessels created in PostgreSQL',
      registers,
    }),
    // Observed once per message: the histogram that allocates nothing per observation.
    endToEndLatency: new UnlabelledHistogram({
      name: 'aisctl_end_to_end_latency_seconds',
      help: 'From arrival (or intended send time under load) to durable write in Redis and PostgreSQL',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    batchWriteDuration: new Histogram({
      name: 'aisctl_batch_write_duration_seconds',
      help: 'Duration of one batch write per store',
      labelNames: ['store'] as const,
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    }),
    deadlocks: new Counter({
      name: 'aisctl_deadlocks_total',
      help: 'PostgreSQL deadlocks (SQLSTATE 40P01) detected and retried',
      registers,
    }),
    cacheLookups: new Counter({
      name: 'aisctl_vessel_cache_lookups_total',
      help: 'Vessel-id LRU cache lookups by result (hit, miss)',
      labelNames: ['result'] as const,
      registers,
    }),
    dlqEntries: new Gauge({
      name: 'aisctl_dlq_entries',
      help: 'Dead-letter entries by state (pending, parked, spooled)',
      labelNames: ['state'] as const,
      registers,
    }),
    deadLettered: new Counter({
      name: 'aisctl_dead_lettered_batches_total',
      help: 'Batch parts sent to the dead-letter queue, by target store',
      labelNames: ['target'] as const,
      registers,
    }),
    breakerState,
    sourceQuality,
    queuedMessages: new Gauge({
      name: 'aisctl_pipeline_queued_messages',
      help: 'Messages accepted by the pipeline and not yet durable',
      registers,
    }),
    inFlightBatches: new Gauge({
      name: 'aisctl_pipeline_inflight_batches',
      help: 'Batches being written right now',
      registers,
    }),
    feeds: createFeedMetrics(registers),
    setSourceQuality(quality) {
      for (const [source, q] of Object.entries(quality)) {
        if (!knownSources.has(source)) {
          if (knownSources.size >= MAX_SOURCE_LABELS) continue;
          knownSources.add(source);
        }
        sourceQuality.set({ source }, q);
      }
    },
    setBreakerState(dependency, state) {
      for (const s of ['closed', 'open', 'half-open'] as const) {
        breakerState.set({ dependency, state: s }, s === state ? 1 : 0);
      }
    },
  };
}
