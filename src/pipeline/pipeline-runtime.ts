/**
 * Assembles a running pipeline against real servers: connections, migrations, writers,
 * breakers, the dead-letter queue with its spool, the background replayer, fusion lanes and
 * metrics. Every command that moves data (ingest, load, serve, run) opens one of these.
 */
import type pg from 'pg';
import { FusionLanes } from '../fusion/fusion-lanes.js';
import type { FusionConfig } from '../fusion/fusion-config.js';
import { createPipelineMetrics, type PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { LatencyRecorder } from '../metrics/latency-recorder.js';
import { createDependencyBreakers, type DependencyBreakers } from '../resilience/dependency-breaker.js';
import { createFailoverDeadLetterQueue, type FailoverDeadLetterQueue } from '../resilience/dead-letter/failover-dead-letter-queue.js';
import { DEFAULT_SPOOL_DIR } from '../resilience/dead-letter/dead-letter-queue.js';
import { createDlqReplayer, type DlqReplayer, type ReplayRoundResult } from '../resilience/dead-letter/dlq-replayer.js';
import { createResilientSink, type ResilientSink } from '../resilience/resilient-sink.js';
import { describeError } from '../resilience/failure-kind.js';
import { errorMessage } from '../errors/error-message.js';
import { openPostgres, openRedis, type RedisClient } from '../store/connections.js';
import { createHistoryWriter, type HistoryWriter } from '../store/postgres/history-writer.js';
import { PGBOUNCER_HINT, pgBouncerSymptom, type PgBouncerDiagnosis } from '../store/postgres/pgbouncer-symptom.js';
import { migrate } from '../store/postgres/migrator.js';
import { softDeletedVessels } from '../store/postgres/soft-delete.js';
import { syncSoftDeleteMarks } from '../store/redis/soft-delete-marks.js';
import { createHotStateWriter } from '../store/redis/hot-state-writer.js';
import { recordLiveTtl, resolveBuckets } from '../store/redis/layout-meta.js';
import { DEFAULT_LIVE_TTL_MS } from '../store/redis/live-ttl.js';
import type { HotStateStore } from '../store/store-types.js';
import { Pipeline } from './pipeline.js';
import { DEFAULT_PIPELINE_CONFIG, type PipelineConfig } from './pipeline-config.js';
import { timedStore } from './timed-store.js';

const FAILURE_LOG_EVERY_MS = 5_000;

export interface RuntimeOptions {
  readonly redisUrl: string;
  readonly databaseUrl: string;
  /** Redis key prefix (environment). */
  readonly env: string;
  /** A single-seed redisUrl names a Redis Cluster (a comma-separated seed list always does). */
  readonly redisCluster?: boolean;
  /**
   * Geo/active index buckets (see store/redis/key-layout.ts). Default: what the environment has
   * recorded, else 64 on a cluster and 1 on a standalone server; refused when it disagrees with
   * the recorded count.
   */
  readonly redisBuckets?: number | undefined;
  /** `--live-ttl` (default DEFAULT_LIVE_TTL_MS): recorded for the environment's readers; sets the shard keys' backstop expiry. */
  readonly liveTtlMs?: number;
  readonly cacheSize?: number;
  /** False behind PgBouncer transaction pooling (see createHistoryWriter). Default true. */
  readonly namedStatements?: boolean;
  readonly spoolDir?: string;
  readonly fusion?: Partial<FusionConfig>;
  readonly pipeline?: Partial<PipelineConfig>;
  readonly poolMax?: number;
  /** Run the DLQ replayer in the background (default true). */
  readonly replay?: boolean;
  readonly metrics?: PipelineMetrics;
  /** Breaker tuning; tests and fault scenarios shorten the half-open delay. */
  readonly breakerHalfOpenAfterMs?: number;
  readonly onWarning?: (message: string) => void;
}

export interface PipelineRuntime {
  readonly pipeline: Pipeline;
  readonly metrics: PipelineMetrics;
  readonly fusion: FusionLanes;
  readonly history: HistoryWriter;
  readonly hot: HotStateStore;
  readonly breakers: DependencyBreakers;
  readonly dlq: FailoverDeadLetterQueue;
  readonly replayer: DlqReplayer;
  readonly sink: ResilientSink;
  /** A standalone client or a Cluster. */
  readonly redis: RedisClient;
  /** The bucket count the writer uses (recorded in `${env}:ais:meta`); pass it to every reader. */
  readonly buckets: number;
  /** The live TTL the writer runs with (recorded in `${env}:ais:meta` when given explicitly). */
  readonly liveTtlMs: number;
  readonly pool: pg.Pool;
  readonly config: PipelineConfig;
  /** Duration of each batch write per store (HDR), for summaries. */
  readonly storeLatency: { readonly postgres: LatencyRecorder; readonly redis: LatencyRecorder };
  /** Arrival to durable write of every completed message (HDR). */
  readonly endToEndLatency: LatencyRecorder;
  /** Pending + parked + spooled dead-letter entries (0 when the queue cannot be read). */
  dlqSize(): Promise<number>;
  /**
   * Non-null once a write to PostgreSQL failed the way named statements fail behind PgBouncer in
   * transaction mode (only looked for while named statements are on).
   */
  diagnosis(): PgBouncerDiagnosis | null;
  /**
   * After intake ends: replays the DLQ until it is empty, nothing more can be done (a dependency
   * is still down), or the time is up. Returns what remains.
   */
  drainDeadLetters(timeoutMs: number): Promise<{ remaining: number; rounds: ReplayRoundResult[] }>;
  close(): Promise<void>;
}

export async function openRuntime(opts: RuntimeOptions): Promise<PipelineRuntime> {
  const config: PipelineConfig = { ...DEFAULT_PIPELINE_CONFIG, ...opts.pipeline };
  const metrics = opts.metrics ?? createPipelineMetrics();
  // Redis first: it fails in milliseconds, and opening PostgreSQL may create the database, which
  // should not happen for a run that cannot start anyway.
  const redis: RedisClient = await openRedis(opts.redisUrl, { cluster: opts.redisCluster ?? false });
  let pool: pg.Pool;
  try {
    pool = await openPostgres(opts.databaseUrl, { max: opts.poolMax ?? config.maxConcurrentWrites + 2 });
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  let buckets: number;
  const liveTtlMs = opts.liveTtlMs ?? DEFAULT_LIVE_TTL_MS;
  try {
    buckets = await resolveBuckets(redis, opts.env, { requested: opts.redisBuckets, cluster: redis.isCluster, record: true });
    // Only an explicit TTL (ingest, serve) is recorded: a `dlq replay` or `load` must not reset it.
    if (opts.liveTtlMs !== undefined) await recordLiveTtl(redis, opts.env, liveTtlMs);
    await migrate(pool);
    await syncSoftDeleteMarks(redis, opts.env, await softDeletedVessels(pool), { buckets });
  } catch (err) {
    redis.disconnect();
    await pool.end().catch(() => undefined);
    throw err;
  }

  const history = createHistoryWriter({ pool, cacheSize: opts.cacheSize, namedStatements: opts.namedStatements ?? true });
  const hot = createHotStateWriter({ redis, env: opts.env, buckets, liveTtlMs });
  const halfOpen = opts.breakerHalfOpenAfterMs;
  const breakers = createDependencyBreakers(halfOpen === undefined ? {} : { redis: { halfOpenAfterMs: halfOpen }, postgres: { halfOpenAfterMs: halfOpen } });
  for (const [name, state] of Object.entries(breakers.states())) metrics.setBreakerState(name, state);
  // Live writes and replays both go through the breaker, so every failed write to PostgreSQL is
  // seen here. The dead-letter entries say what failed; this says what to change.
  let diagnosis: PgBouncerDiagnosis | null = null;
  if (opts.namedStatements ?? true) {
    breakers.postgres.onFailure((err) => {
      const code = pgBouncerSymptom(err);
      if (code === null) return;
      if (diagnosis === null) opts.onWarning?.(`PostgreSQL refused a named statement (${describeError(err)}): ${PGBOUNCER_HINT}`);
      diagnosis =
        diagnosis === null
          ? { problem: 'pgbouncer_transaction_pooling', sqlState: code, firstError: describeError(err), failures: 1, hint: PGBOUNCER_HINT }
          : { ...diagnosis, failures: diagnosis.failures + 1 };
    });
  }
  breakers.onStateChange((state, name) => {
    metrics.setBreakerState(name, state);
    opts.onWarning?.(`${name} circuit breaker is now ${state}`);
  });
  const spoolDir = opts.spoolDir ?? DEFAULT_SPOOL_DIR;
  const dlq = createFailoverDeadLetterQueue({
    redis,
    env: opts.env,
    spool: { dir: spoolDir },
    breaker: breakers.redis,
    onCorrupt: (id, reason) => opts.onWarning?.(`dead-letter entry ${id} unreadable (${reason}); skipped`),
  });
  // Said at start, not first noticed in an outage: with Redis up nothing is lost, but a Redis
  // outage would then leave batches with nowhere to go.
  dlq.spool
    .stats()
    .catch((err: unknown) =>
      opts.onWarning?.(
        `dead-letter spool ${spoolDir} is not usable (${errorMessage(err)}): ` + 'if Redis goes down, batches can be neither stored nor dead-lettered',
      ),
    );
  const storeLatency = { postgres: new LatencyRecorder(), redis: new LatencyRecorder() };
  const sink = createResilientSink({
    history: timedStore(history, (s) => {
      metrics.batchWriteDuration.observe({ store: 'postgres' }, s);
      storeLatency.postgres.recordMs(s * 1000);
    }),
    hot: timedStore(hot, (s) => {
      metrics.batchWriteDuration.observe({ store: 'redis' }, s);
      storeLatency.redis.recordMs(s * 1000);
    }),
    dlq,
    breakers,
  });
  const replayer = createDlqReplayer({
    dlq,
    breakers,
    onEvent: (e) => {
      if (e.type === 'parked') opts.onWarning?.(`dead-letter entry ${e.entry.id} parked after ${e.entry.attempts} attempts: ${e.error}`);
    },
  });
  const targets = { postgres: history, redis: hot };
  if (opts.replay ?? true) replayer.start(targets);

  const fusion = new FusionLanes({ lanes: config.lanes, config: opts.fusion ?? {} });
  const pipeline = new Pipeline(config, fusion, sink, metrics, () => performance.now());

  // One line per failed batch would flood a service's log during an outage: the first failure
  // is logged at once, then at most one line per interval with the count in between.
  let lastFailureLog = Number.NEGATIVE_INFINITY;
  let unlogged = { batches: 0, messages: 0 };
  pipeline.onFailure((error, messages) => {
    unlogged = { batches: unlogged.batches + 1, messages: unlogged.messages + messages };
    const now = Date.now();
    if (now - lastFailureLog < FAILURE_LOG_EVERY_MS) return;
    lastFailureLog = now;
    opts.onWarning?.(`${unlogged.messages} messages in ${unlogged.batches} batches NOT STORED: ${error}`);
    unlogged = { batches: 0, messages: 0 };
  });

  const endToEndLatency = new LatencyRecorder();
  pipeline.onCompletion((startMs, nowMs) => endToEndLatency.recordMs(nowMs - startMs));

  let lastCache = { hits: 0, misses: 0 };
  pipeline.onBatch(() => {
    const c = history.cacheStats();
    metrics.cacheLookups.inc({ result: 'hit' }, c.hits - lastCache.hits);
    metrics.cacheLookups.inc({ result: 'miss' }, c.misses - lastCache.misses);
    lastCache = { hits: c.hits, misses: c.misses };
  });

  async function dlqSize(): Promise<number> {
    try {
      const s = await dlq.stats(Date.now());
      metrics.dlqEntries.set({ state: 'pending' }, s.pending);
      metrics.dlqEntries.set({ state: 'parked' }, s.parked);
      metrics.dlqEntries.set({ state: 'spooled' }, s.spooled);
      return s.pending + s.parked + s.spooled;
    } catch {
      return 0;
    }
  }

  return {
    pipeline,
    metrics,
    fusion,
    history,
    hot,
    breakers,
    dlq,
    replayer,
    sink,
    redis,
    buckets,
    liveTtlMs,
    pool,
    config,
    storeLatency,
    endToEndLatency,
    dlqSize,
    diagnosis: () => diagnosis,
    async drainDeadLetters(timeoutMs) {
      await replayer.stop();
      const rounds: ReplayRoundResult[] = [];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await dlq.stats(Date.now()).catch(() => null);
        const waiting = s === null ? 0 : s.pending + s.spooled;
        if (s !== null && waiting === 0) break;
        if (Date.now() >= deadline) break;
        const r = await replayer.replayOnce(targets);
        rounds.push(r);
        if (r.claimed === 0 && r.spoolHandedOff === 0) {
          // Nothing due yet (backoff) or a dependency is still down: wait a little.
          await new Promise((res) => setTimeout(res, 250));
        }
      }
      return { remaining: await dlqSize(), rounds };
    },
    async close() {
      await replayer.stop();
      await dlq.close().catch(() => undefined);
      await history.close().catch(() => undefined);
      await hot.close().catch(() => undefined);
      redis.disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

/**
 * Hard stop (second signal): rows not yet handed to the stores go to the local spool, for both
 * targets, so the next `aisctl dlq replay` (or any later run) writes them. Returns the number of
 * messages spooled.
 */
export async function spoolPending(runtime: PipelineRuntime): Promise<number> {
  const { positions, statics, messages } = runtime.pipeline.takePending();
  if (messages === 0) return 0;
  const now = Date.now();
  const entry = (target: 'postgres' | 'redis') => ({
    id: `${target}-shutdown-${process.pid}-${now}`,
    target,
    positions,
    statics,
    attempts: 0,
    firstFailedAt: now,
    nextAttemptAt: now,
    lastError: 'spooled at shutdown before being written',
  });
  await runtime.dlq.spool.append([entry('postgres'), entry('redis')]);
  return messages;
}
