/**
 * `aisctl serve [--host 127.0.0.1] [--port 9464] [--spool-dir DIR] [--feed [NAME=]URL ...]`: the
 * pipeline as a long-running service: `POST /v1/messages` into the pipeline, live feeds (UDP,
 * TCP listener, TCP client, aisstream websocket; src/feeds/) into the same pipeline, `GET /metrics`
 * (Prometheus), `GET /healthz` (Redis and PostgreSQL round trips, breaker states, feeds), and the
 * read API (`GET /v1/vessels/{mmsi}`, `/track`, `/v1/near`, `/v1/search`; docs/read-api.md).
 * Off loopback a bearer token (`--token-file`) or an explicit `--no-auth` is required
 * (serve-access.ts).
 *
 * Shutdown on SIGINT/SIGTERM: close the feeds' listeners and connections (what was read goes on
 * into the pipeline), stop accepting and let in-flight requests finish, write what the pipeline
 * holds, close the stores, exit 0. Accepted (202) messages are thus written before exit. A second
 * signal spools what was not handed to the stores yet to the dead-letter spool and exits at once
 * (130/143), as `aisctl ingest` does.
 */
import type { FeedHealth } from '../../feeds/feed-health.js';
import type { FeedInstrumentation, FeedOptions, FeedSet } from '../../feeds/feed-set.js';
import type { FeedSpec } from '../../feeds/feed-url.js';
import type { PipelineConfig } from '../../pipeline/pipeline-config.js';
import type { PipelineRuntime } from '../../pipeline/pipeline-runtime.js';
import type { HealthReport } from '../../server/http-server.js';
import { connectionConfig, DependencyError, parseDurationMs, parseIntOption, UsageError, type ConnectionFlags } from '../config.js';
import { errorMessage } from '../../errors/error-message.js';
import { EXIT_SIGINT, EXIT_SIGTERM } from '../../errors/aisctl-error.js';
import { DEFAULT_MAX_FUTURE_MS } from '../../normalize/time.js';
import { PRUNE_INTERVAL_MS } from '../../store/redis/live-ttl.js';
import { formatDuration } from '../../utils/duration.js';
import { parsePositiveDuration } from '../live-age.js';

/** As commander hands them over: every flag with a default is present. */
interface ServeOptions extends ConnectionFlags {
  host: string;
  port: string;
  spoolDir: string;
  feed?: string[];
  feedRcvbuf?: string;
  feedIdle: string;
  feedStale: string;
  feedMaxConnections: string;
  maxLineLength: string;
  bbox?: string[];
  wsTypes?: string;
  tokenFile?: string;
  /** False with --no-auth. */
  auth?: boolean;
  /** `--publish URL`: NATS servers to publish to instead of the in-process stores. */
  publish?: string;
  retention?: string;
  liveTtl: string;
}

/** A health probe must answer well within a load balancer's timeout. */
const HEALTH_TIMEOUT_MS = 2_000;
/** How often the dead-letter gauges are refreshed from Redis and the spool. */
const DLQ_GAUGE_EVERY_MS = 5_000;

export interface ServeHandle {
  readonly url: string;
  readonly runtime: PipelineRuntime;
  /** The live feeds (`--feed`); null without any. */
  readonly feeds: FeedSet | null;
  /** Graceful stop: stop accepting, finish requests, flush the pipeline, close the stores. */
  stop(): Promise<void>;
}

export interface StartServeOptions {
  readonly redisUrl: string;
  readonly databaseUrl: string;
  readonly env: string;
  readonly host: string;
  readonly port: number;
  /** Default DEFAULT_SPOOL_DIR. */
  readonly spoolDir?: string;
  /** False behind PgBouncer transaction pooling. */
  readonly namedStatements?: boolean;
  /** A single-seed redisUrl names a Redis Cluster. */
  readonly redisCluster?: boolean;
  /** Geo/active index buckets; default as recorded for env, else 64 on a cluster, 1 standalone. */
  readonly redisBuckets?: number | undefined;
  readonly onWarning?: (message: string) => void;
  /** Live inputs (parsed `--feed`s). */
  readonly feeds?: readonly FeedSpec[];
  readonly feedOptions?: Partial<FeedOptions>;
  /** Longest line of a feed or of a line body (default 64 KiB). */
  readonly maxLineLength?: number;
  /** Wall clock of feeds and their health; tests move it to make a feed silent. */
  readonly nowMs?: () => number;
  /** `--retention`: history kept (ms); partitions older are dropped at start and hourly. */
  readonly retentionMs?: number;
  /** `--live-ttl` (default DEFAULT_LIVE_TTL_MS): vessels not heard for longer are pruned from Redis every PRUNE_INTERVAL_MS. */
  readonly liveTtlMs?: number;
  /** Bearer token required on every endpoint but /healthz and /metrics (serve-access.ts); null or absent: none. */
  readonly token?: string | null;
  /** Batching of the pipeline (`load --via udp|tcp` passes its --batch-size, --linger, --writers). */
  readonly pipeline?: Partial<PipelineConfig>;
  /** `load --via udp|tcp`: times and observes what the feeds submit. */
  readonly feedInstrumentation?: FeedInstrumentation;
  /**
   * NATS servers (`--publish`): feeds and POST /v1/messages publish to the environment's stream
   * (docs/scale-out.md) instead of the in-process pipeline, which the read API still reads beside.
   */
  readonly publishUrl?: string;
}

function elapsedMs(start: number): string {
  return `${(performance.now() - start).toFixed(1)} ms`;
}

export async function createHealthCheck(runtime: PipelineRuntime, feeds: { health(): FeedHealth } | null = null): Promise<() => Promise<HealthReport>> {
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
    const [redis, postgres] = await Promise.all([probe(() => runtime.redis.ping(), states.redis), probe(() => runtime.pool.query(PING.text), states.postgres)]);
    const p = runtime.pipeline;
    const f = p.failure;
    // Failing: batches can be neither stored nor dead-lettered, so ingest answers 503.
    const durability =
      p.failing && f !== null
        ? { ok: false, detail: `${f.messages} messages in ${f.batches} batches NOT STORED since start; the last batch failed: ${f.error}` }
        : {
            ok: true,
            detail:
              f === null
                ? 'every batch stored or dead-lettered'
                : `recovered; ${f.messages} messages in ${f.batches} batches were not stored earlier (answered 503)`,
          };
    const fed = feeds?.health() ?? { ok: true, checks: {} };
    return {
      ok: redis.ok && postgres.ok && durability.ok && fed.ok,
      checks: {
        redis,
        postgres,
        durability,
        // Informational: saturation is answered per request with 503, not by failing health.
        pipeline: {
          ok: !p.saturated,
          detail: `${p.queued} messages queued, ${p.inFlightBatches} batches in flight${p.saturated ? ' (saturated: ingest answers 503)' : ''}`,
        },
        ...fed.checks,
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
  const { createReadApi } = await import('../../server/read-api.js');
  const { createMapRoutes } = await import('../../server/map/map-routes.js');
  const { createBearerCheck } = await import('../../server/bearer-auth.js');
  const { DEFAULT_FEED_OPTIONS, startFeeds } = await import('../../feeds/feed-set.js');
  const warn = opts.onWarning ?? (() => {});
  const nowMs = opts.nowMs ?? Date.now;
  const metrics = createPipelineMetrics({ defaultMetrics: true });
  const runtime = await openRuntime({
    redisUrl: opts.redisUrl,
    databaseUrl: opts.databaseUrl,
    env: opts.env,
    spoolDir: opts.spoolDir,
    namedStatements: opts.namedStatements ?? true,
    redisCluster: opts.redisCluster ?? false,
    redisBuckets: opts.redisBuckets,
    ...(opts.liveTtlMs === undefined ? {} : { liveTtlMs: opts.liveTtlMs }),
    metrics,
    onWarning: warn,
    ...(opts.pipeline ? { pipeline: opts.pipeline } : {}),
  });
  let log: import('../../log/open-log-publisher.js').OpenLogPublisher | null = null;
  if (opts.publishUrl !== undefined) {
    try {
      log = await (await import('../../log/open-log-publisher.js')).openLogPublisher(opts.publishUrl, opts.env);
    } catch (err) {
      await runtime.close();
      throw err;
    }
    warn(`publishing to NATS stream ${log.stream} at ${log.server}, not to the stores`);
  }
  const target = log?.publisher ?? runtime.pipeline;
  let feeds: FeedSet | null = null;
  if ((opts.feeds ?? []).length > 0) {
    try {
      // Listeners bind here: a port in use ends the start-up with its own message.
      feeds = await startFeeds({
        ...DEFAULT_FEED_OPTIONS,
        ...opts.feedOptions,
        ...(opts.maxLineLength === undefined ? {} : { maxLineLength: opts.maxLineLength }),
        specs: opts.feeds ?? [],
        target,
        metrics,
        nowMs,
        clockMs: () => performance.now(),
        maxFutureMs: DEFAULT_MAX_FUTURE_MS,
        log: warn,
        ...(opts.feedInstrumentation ? { instrumentation: opts.feedInstrumentation } : {}),
      });
    } catch (err) {
      await runtime.close();
      throw err;
    }
  }
  const map = createMapRoutes({ redis: runtime.redis, env: opts.env, buckets: runtime.buckets, liveTtlMs: runtime.liveTtlMs, registry: metrics.registry });
  let server;
  try {
    server = await startHttpServer({
      host: opts.host,
      port: opts.port,
      registry: metrics.registry,
      ingest: createIngestHandler({
        pipeline: target,
        metrics,
        nowMs: Date.now,
        clockMs: () => performance.now(),
        maxFutureMs: DEFAULT_MAX_FUTURE_MS,
        failureReason: () => log?.publisher.failure ?? runtime.pipeline.failure?.error ?? null,
        ...(opts.maxLineLength === undefined ? {} : { maxLineLength: opts.maxLineLength }),
      }),
      health: await createHealthCheck(runtime, feeds),
      overloaded: () => target.saturated,
      unavailable: () => refusal(runtime.pipeline, performance.now()),
      onError: (err, where) => warn(`${where}: ${errorMessage(err)}`),
      read: createReadApi({ pool: runtime.pool, redis: runtime.redis, env: opts.env, buckets: runtime.buckets, liveTtlMs: runtime.liveTtlMs }),
      map,
      ...(opts.token ? { authorize: createBearerCheck(opts.token) } : {}),
    });
  } catch (err) {
    map.close();
    await feeds?.close();
    await runtime.pipeline.close();
    await runtime.close();
    throw new DependencyError(errorMessage(err));
  }
  void runtime.dlqSize();
  const gauges = setInterval(() => void runtime.dlqSize(), DLQ_GAUGE_EVERY_MS);
  gauges.unref();
  let retention: { stop(): Promise<void> } | null = null;
  if (opts.retentionMs !== undefined) {
    const { startRetentionSchedule } = await import('../../store/postgres/retention.js');
    const { retentionLines } = await import('./db-retention.js');
    retention = startRetentionSchedule(runtime.pool, {
      keepMs: opts.retentionMs,
      onResult: (r) => {
        for (const line of retentionLines(r)) warn(`retention: ${line}`);
      },
      onError: (err) => warn(`retention: ${errorMessage(err)} (next run in an hour)`),
    });
  }
  const { startPruneSchedule } = await import('../../store/redis/prune-live.js');
  const prune = startPruneSchedule(runtime.redis, opts.env, {
    buckets: runtime.buckets,
    liveTtlMs: runtime.liveTtlMs,
    onResult: (r) => {
      if (r.removed > 0) warn(`prune: ${r.removed} vessels not heard since ${new Date(r.cutMs).toISOString()} left the live state`);
    },
    onError: (err) => warn(`prune: ${errorMessage(err)} (next run in ${formatDuration(PRUNE_INTERVAL_MS)})`),
  });
  const http = server;
  let stopping: Promise<void> | null = null;
  return {
    url: http.url,
    runtime,
    feeds,
    stop() {
      stopping ??= (async () => {
        clearInterval(gauges);
        await retention?.stop();
        await prune.stop();
        map.close();
        // Feeds first and with the HTTP edge: both only add to the pipeline, which closes after.
        await Promise.all([feeds?.close(), http.close()]);
        await log?.close();
        await runtime.pipeline.close();
        await runtime.close();
      })();
      return stopping;
    },
  };
}

/** `--feed` and its companions as startServe options; nothing is opened here. */
async function feedConfig(opts: ServeOptions): Promise<Pick<StartServeOptions, 'feeds' | 'feedOptions' | 'maxLineLength'>> {
  const { parseFeedSpecs } = await import('../../feeds/feed-url.js');
  const { parseBbox, parseMessageTypes } = await import('../../feeds/aisstream-subscription.js');
  const feeds = parseFeedSpecs(opts.feed ?? []);
  const maxLineLength = parseIntOption('--max-line-length', opts.maxLineLength, 1);
  const positiveMs = (name: string, value: string): number => {
    const ms = parseDurationMs(name, value);
    if (ms <= 0) throw new UsageError(`${name} must be longer than 0: got '${value}'`);
    return ms;
  };
  const feedOptions: { -readonly [K in keyof FeedOptions]?: FeedOptions[K] } = {
    idleMs: positiveMs('--feed-idle', opts.feedIdle),
    staleMs: positiveMs('--feed-stale', opts.feedStale),
    maxConnections: parseIntOption('--feed-max-connections', opts.feedMaxConnections, 1, 100_000),
    rcvbufBytes: opts.feedRcvbuf === undefined ? undefined : parseIntOption('--feed-rcvbuf', opts.feedRcvbuf, 1024, 2 ** 31 - 1),
  };
  if (feeds.some((f) => f.kind === 'ws')) {
    feedOptions.aisstream = {
      apiKey: process.env.AISSTREAM_API_KEY ?? '',
      boxes: (opts.bbox ?? []).map(parseBbox),
      messageTypes: opts.wsTypes === undefined ? [] : parseMessageTypes(opts.wsTypes),
    };
  }
  return { feeds, feedOptions, maxLineLength };
}

export async function run(opts: ServeOptions): Promise<number> {
  const port = parseIntOption('--port', opts.port, 0, 65_535);
  const host = opts.host.trim();
  if (host === '') throw new UsageError('--host must not be empty');
  const cfg = connectionConfig(opts);
  const feedCfg = await feedConfig(opts);
  const { resolveServeAccess } = await import('./serve-access.js');
  const access = resolveServeAccess(host, opts);
  const spoolDir = opts.spoolDir;
  const log = (line: string): void => {
    process.stderr.write(`aisctl serve: ${line}\n`);
  };
  const retentionMs = opts.retention === undefined ? undefined : parseDurationMs('--retention', opts.retention);
  if (retentionMs !== undefined && retentionMs <= 0) throw new UsageError(`--retention must be longer than 0: got '${opts.retention}'`);
  const handle = await startServe({
    ...cfg,
    ...feedCfg,
    host,
    port,
    spoolDir,
    onWarning: log,
    token: access.token,
    ...(opts.publish === undefined ? {} : { publishUrl: opts.publish }),
    liveTtlMs: parsePositiveDuration('--live-ttl', opts.liveTtl),
    ...(retentionMs === undefined ? {} : { retentionMs }),
  });
  for (const { runner, transport } of handle.feeds?.feeds ?? []) {
    const a = transport.address;
    const where = a === null ? runner.spec.where : `${runner.spec.kind === 'udp' ? 'udp' : 'tcp'} ${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
    process.stdout.write(`aisctl serve: feed ${runner.spec.name}: ${a === null ? 'connecting to' : 'listening on'} ${where}\n`);
  }
  process.stdout.write(`aisctl serve: listening on ${handle.url} (POST /v1/messages, GET /metrics, GET /healthz); env ${cfg.env}; Ctrl-C stops\n`);
  process.stdout.write(`aisctl serve: read API: GET /v1/vessels/{mmsi}, /v1/vessels/{mmsi}/track, /v1/near, /v1/search; ${access.notice}\n`);
  process.stdout.write(`aisctl serve: live map: ${handle.url}/ (GET /v1/fleet, /v1/pipeline)\n`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const first = (sig: NodeJS.Signals): void => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      const again = (second: NodeJS.Signals): void => {
        const code = second === 'SIGINT' ? EXIT_SIGINT : EXIT_SIGTERM;
        // A connection closing during the spool must not submit into the emptied pipeline.
        handle.feeds?.stopIntake();
        void import('../../pipeline/pipeline-runtime.js')
          .then(({ spoolPending }) => spoolPending(handle.runtime))
          .then(
            (n) => {
              log(`second signal: ${n} messages spooled to ${spoolDir} (replay them with \`aisctl dlq replay\`); exiting at once`);
              process.exit(code);
            },
            (err: unknown) => {
              log(`second signal: could not spool the pending messages: ${errorMessage(err)}`);
              process.exit(1);
            },
          );
      };
      process.once('SIGINT', again);
      process.once('SIGTERM', again);
      resolve(sig);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
  log(
    `${signal}: stopping (closing feeds, finishing requests, writing ${handle.runtime.pipeline.queued} queued messages; signal again to spool them and exit at once)`,
  );
  await handle.stop();
  const c = handle.runtime.pipeline.counters;
  for (const f of handle.feeds?.statuses() ?? []) {
    const st = f.stats;
    log(
      `feed ${f.name}: ${st.bytes} bytes, ${st.lines} lines, ${st.messages} messages (${st.durable} stored or dead-lettered, ${st.notStored} NOT STORED), ${st.rejected} rejected, ${st.reconnects} reconnects`,
    );
  }
  log(
    `stopped: ${c.submitted} messages submitted, ${c.completed} written or dead-lettered, ${c.duplicates} duplicates, ` +
      `${c.positionsInserted} positions inserted, ${c.deadLetteredPostgres + c.deadLetteredRedis} batches dead-lettered`,
  );
  return 0;
}
