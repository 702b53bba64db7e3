/**
 * `aisctl serve [--host 127.0.0.1] [--port 9464] [--spool-dir DIR]`: the pipeline as a
 * long-running service: `POST /v1/messages` into the pipeline, `GET /metrics` (Prometheus),
 * `GET /healthz` (Redis and PostgreSQL round trips, breaker states).
 *
 * Shutdown on SIGINT/SIGTERM: stop accepting and let in-flight requests finish, write what the
 * pipeline holds, close the stores, exit 0. Accepted (202) messages are thus written before
 * exit. A second signal exits at once (exit 130/143), losing what was not written yet.
 */
import type { PipelineRuntime } from '../../pipeline/pipeline-runtime.js';
import type { HealthReport } from '../../server/http-server.js';
import { connectionConfig, DependencyError, parseIntOption, UsageError, type ConnectionFlags } from '../config.js';
import { errorMessage } from '../../errors/error-message.js';

interface ServeOptions extends ConnectionFlags {
  host?: string;
  port?: string;
  spoolDir?: string;
}

/** Same default as `aisctl ingest --max-future`. */
const MAX_FUTURE_MS = 5 * 60_000;
/** A health probe must answer well within a load balancer's timeout. */
const HEALTH_TIMEOUT_MS = 2_000;
/** How often the dead-letter gauges are refreshed from Redis and the spool. */
const DLQ_GAUGE_EVERY_MS = 5_000;

export interface ServeHandle {
  readonly url: string;
  readonly runtime: PipelineRuntime;
  /** Graceful stop: stop accepting, finish requests, flush the pipeline, close the stores. */
  stop(): Promise<void>;
}

export interface StartServeOptions {
  readonly redisUrl: string;
  readonly databaseUrl: string;
  readonly env: string;
  readonly host: string;
  readonly port: number;
  readonly spoolDir: string;
  /** False behind PgBouncer transaction pooling. */
  readonly namedStatements?: boolean;
  /** A single-seed redisUrl names a Redis Cluster. */
  readonly redisCluster?: boolean;
  /** Geo/active index buckets; default as recorded for env, else 64 on a cluster, 1 standalone. */
  readonly redisBuckets?: number | undefined;
  readonly onWarning?: (message: string) => void;
}

function elapsedMs(start: number): string {
  return `${(performance.now() - start).toFixed(1)} ms`;
}

export async function createHealthCheck(runtime: PipelineRuntime): Promise<() => Promise<HealthReport>> {
  const { withTimeout } = await import('../../resilience/with-timeout.js');
  const { loadSql } = await import('../../store/postgres/sql-file.js');
  const PING = loadSql(new URL('../sql/ping.sql', import.meta.url), 'aisctl_ping');
  const probe = async (fn: () => Promise<unknown>, breaker: string): Promise<{ ok: boolean; detail: string }> => {
    const start = performance.now();
    try {
      await withTimeout(fn(), HEALTH_TIMEOUT_MS);
      return { ok: true, detail: `answered in ${elapsedMs(start)}; breaker ${breaker}` };
    } catch (err) {
      return { ok: false, detail: `${errorMessage(err)}; breaker ${breaker}` };
    }
  };
  return async () => {
    const states = runtime.breakers.states();
    const [redis, postgres] = await Promise.all([
      probe(() => runtime.redis.ping(), states.redis),
      probe(() => runtime.pool.query(PING.text), states.postgres),
    ]);
    const p = runtime.pipeline;
    const f = p.failure;
    // Failing: batches can be neither stored nor dead-lettered, so ingest answers 503.
    const durability = p.failing && f !== null
      ? { ok: false, detail: `${f.messages} messages in ${f.batches} batches NOT STORED since start; the last batch failed: ${f.error}` }
      : { ok: true, detail: f === null ? 'every batch stored or dead-lettered' : `recovered; ${f.messages} messages in ${f.batches} batches were not stored earlier (answered 503)` };
    return {
      ok: redis.ok && postgres.ok && durability.ok,
      checks: {
        redis,
        postgres,
        durability,
        // Informational: saturation is answered per request with 503, not by failing health.
        pipeline: { ok: !p.saturated, detail: `${p.queued} messages queued, ${p.inFlightBatches} batches in flight${p.saturated ? ' (saturated: ingest answers 503)' : ''}` },
      },
    };
  };
}

/**
 * While the last batch could be neither stored nor dead-lettered, ingest is refused for a
 * while: nothing is taken that cannot be kept. Afterwards one request at a time gets through
 * as a probe (as a half-open breaker does); its batch succeeding clears the state.
 */
const REFUSE_AFTER_FAILURE_MS = 5_000;

function refusal(pipeline: PipelineRuntime['pipeline'], nowMs: number): { reason: string; retryAfterSeconds: number } | null {
  const f = pipeline.failure;
  if (!pipeline.failing || f === null) return null;
  const left = REFUSE_AFTER_FAILURE_MS - (nowMs - f.lastAtMs);
  if (left <= 0) return null;
  return { reason: `batches can be neither stored nor dead-lettered (${f.error})`, retryAfterSeconds: left / 1000 };
}

/** Opens the runtime and the HTTP server; the caller owns signals. */
export async function startServe(opts: StartServeOptions): Promise<ServeHandle> {
  const { createPipelineMetrics } = await import('../../metrics/pipeline-metrics.js');
  const { openRuntime } = await import('../../pipeline/pipeline-runtime.js');
  const { startHttpServer } = await import('../../server/http-server.js');
  const { createIngestHandler } = await import('../../server/ingest-handler.js');
  const warn = opts.onWarning ?? (() => {});
  const metrics = createPipelineMetrics({ defaultMetrics: true });
  const runtime = await openRuntime({
    redisUrl: opts.redisUrl,
    databaseUrl: opts.databaseUrl,
    env: opts.env,
    spoolDir: opts.spoolDir,
    namedStatements: opts.namedStatements ?? true,
    redisCluster: opts.redisCluster ?? false,
    redisBuckets: opts.redisBuckets,
    metrics,
    onWarning: warn,
  });
  let server;
  try {
    server = await startHttpServer({
      host: opts.host,
      port: opts.port,
      registry: metrics.registry,
      ingest: createIngestHandler({
        pipeline: runtime.pipeline,
        metrics,
        nowMs: Date.now,
        clockMs: () => performance.now(),
        maxFutureMs: MAX_FUTURE_MS,
        failureReason: () => runtime.pipeline.failure?.error ?? null,
      }),
      health: await createHealthCheck(runtime),
      overloaded: () => runtime.pipeline.saturated,
      unavailable: () => refusal(runtime.pipeline, performance.now()),
      onError: (err, where) => warn(`${where}: ${errorMessage(err)}`),
    });
  } catch (err) {
    await runtime.close();
    throw new DependencyError(errorMessage(err));
  }
  void runtime.dlqSize();
  const gauges = setInterval(() => void runtime.dlqSize(), DLQ_GAUGE_EVERY_MS);
  gauges.unref();
  const http = server;
  let stopping: Promise<void> | null = null;
  return {
    url: http.url,
    runtime,
    stop() {
      stopping ??= (async () => {
        clearInterval(gauges);
        await http.close();
        await runtime.pipeline.close();
        await runtime.close();
      })();
      return stopping;
    },
  };
}

export async function run(opts: ServeOptions): Promise<number> {
  const port = parseIntOption('--port', opts.port ?? '9464', 0, 65_535);
  const host = (opts.host ?? '127.0.0.1').trim();
  if (host === '') throw new UsageError('--host must not be empty');
  const cfg = connectionConfig(opts);
  const log = (line: string): void => {
    process.stderr.write(`aisctl serve: ${line}\n`);
  };
  const handle = await startServe({ ...cfg, host, port, spoolDir: opts.spoolDir ?? '.aisctl/spool', onWarning: log });
  process.stdout.write(`aisctl serve: listening on ${handle.url} (POST /v1/messages, GET /metrics, GET /healthz); env ${cfg.env}; Ctrl-C stops\n`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const first = (sig: NodeJS.Signals): void => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      const again = (): void => {
        log(`second signal: exiting at once; ${handle.runtime.pipeline.queued} accepted messages were not written`);
        process.exit(sig === 'SIGINT' ? 130 : 143);
      };
      process.once('SIGINT', again);
      process.once('SIGTERM', again);
      resolve(sig);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
  log(`${signal}: stopping (finishing requests, writing ${handle.runtime.pipeline.queued} queued messages; signal again to exit at once)`);
  await handle.stop();
  const c = handle.runtime.pipeline.counters;
  log(
    `stopped: ${c.submitted} messages submitted, ${c.completed} written or dead-lettered, ${c.duplicates} duplicates, ` +
      `${c.positionsInserted} positions inserted, ${c.deadLetteredPostgres + c.deadLetteredRedis} batches dead-lettered`,
  );
  return 0;
}
