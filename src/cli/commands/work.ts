/**
 * `aisctl work [--nats URL]`: a worker of a scaled-out run. Takes a fair share of the
 * environment's partitions through leases (log/jetstream-leases.ts), reads each owned partition
 * through its durable consumer, runs fusion and the stores exactly as `ingest` does, and
 * acknowledges a record only once its writes are durable. Waits for the stream when started
 * before any publisher. Serves GET /metrics and GET /healthz.
 *
 * SIGTERM/SIGINT: gives every lease up at once (the other workers take the partitions over),
 * writes what the pipeline holds, acknowledges it, exits 0. A second signal spools what was not
 * written yet and exits at once (130/143); those records are redelivered to the next owner too.
 */
import { connectionConfig, natsUrl, parseDurationMs, parseIntOption, UsageError, type ConnectionFlags } from '../config.js';
import { errorMessage } from '../../errors/error-message.js';
import { EXIT_OK } from '../../errors/aisctl-error.js';
import { bulkIngestPipeline } from '../../pipeline/pipeline-config.js';
import { installShutdown } from '../shutdown.js';

interface WorkFlags extends ConnectionFlags {
  nats?: string;
  host: string;
  port: string;
  name?: string;
  leaseTtl: string;
  ackWait: string;
  maxAckPending: string;
  batchSize: string;
  lanes: string;
  spoolDir: string;
}

/** How often the lag gauges are refreshed from the consumers. */
const LAG_EVERY_MS = 5_000;
/** How often a worker started before the stream looks for it. */
const STREAM_POLL_MS = 1_000;

export async function run(flags: WorkFlags): Promise<number> {
  const conn = connectionConfig(flags);
  const url = natsUrl(flags.nats);
  const port = parseIntOption('--port', flags.port, 0, 65_535);
  const positive = (name: string, value: string): number => {
    const ms = parseDurationMs(name, value);
    if (ms < 100) throw new UsageError(`${name} must be at least 100ms: got '${value}'`);
    return ms;
  };
  const leaseTtlMs = positive('--lease-ttl', flags.leaseTtl);
  const ackWaitMs = positive('--ack-wait', flags.ackWait);
  const maxAckPending = parseIntOption('--max-ack-pending', flags.maxAckPending, 1, 1_000_000);
  const maxBatch = parseIntOption('--batch-size', flags.batchSize, 1, 100_000);
  const lanes = parseIntOption('--lanes', flags.lanes, 1, 1024);
  const out = (line: string): void => void process.stdout.write(`aisctl work: ${line}\n`);
  const warn = (line: string): void => void process.stderr.write(`aisctl work: ${line}\n`);

  const [
    { logNames },
    { connectNats },
    { streamInfo, streamPartitions },
    { jetStreamConsumer },
    leases,
    { createLogMetrics },
    { LogWorker },
    { untilJetStreamAnswers },
  ] = await Promise.all([
    import('../../log/log-names.js'),
    import('../../log/jetstream-connection.js'),
    import('../../log/jetstream-stream.js'),
    import('../../log/jetstream-consumer.js'),
    import('../../log/jetstream-leases.js'),
    import('../../log/log-metrics.js'),
    import('../../log/log-worker.js'),
    import('../../log/jetstream-retry.js'),
  ]);
  const names = logNames(conn.env);
  const { createPipelineMetrics } = await import('../../metrics/pipeline-metrics.js');
  const { openRuntime, spoolPending } = await import('../../pipeline/pipeline-runtime.js');
  const metrics = createPipelineMetrics({ defaultMetrics: true });
  const runtime = await openRuntime({ ...conn, spoolDir: flags.spoolDir, metrics, pipeline: { ...bulkIngestPipeline(maxBatch), lanes }, onWarning: warn });
  let nc;
  try {
    nc = await connectNats(url, `aisctl work ${conn.env}`);
  } catch (err) {
    await runtime.close();
    throw err;
  }
  const stopping = new AbortController();
  let worker: InstanceType<typeof LogWorker> | null = null;
  const shutdown = installShutdown({
    graceful: () => stopping.abort(),
    immediate: async () => {
      const n = await spoolPending(runtime);
      warn(`second signal: ${n} messages spooled to ${flags.spoolDir} (replay them with \`aisctl dlq replay\`); their records are redelivered too`);
    },
  });
  const { startHttpServer } = await import('../../server/http-server.js');
  const { createHealthCheck } = await import('./serve.js');
  const logMetrics = createLogMetrics(metrics.registry);
  const natsCheck = () => {
    const closed = nc.isClosed();
    const owned = worker?.partitions().length ?? 0;
    return {
      ok: !closed,
      checks: { nats: { ok: !closed, detail: `${closed ? 'connection closed' : `connected to ${nc.getServer()}`}; ${owned} partitions owned` } },
    };
  };
  const http = await startHttpServer({
    host: flags.host,
    port,
    registry: metrics.registry,
    ingest: () => Promise.reject(new Error('a worker takes no input')),
    unavailable: () => ({ reason: 'a worker takes its input from the log: use aisctl publish or serve --publish', retryAfterSeconds: 3600 }),
    health: await createHealthCheck(runtime, { health: natsCheck }),
    onError: (err, where) => warn(`${where}: ${errorMessage(err)}`),
  });
  let lagTimer: NodeJS.Timeout | null = null;
  try {
    out(`listening on ${http.url} (GET /metrics, GET /healthz); env ${conn.env}; NATS ${nc.getServer()}`);
    // A cluster may not answer at once (electing a leader, busy): each start-up request is
    // tried again until it does (jetstream-retry.ts), with a note on stderr.
    const server = nc.getServer();
    const lookUp = () => untilJetStreamAnswers(`stream ${names.stream}`, server, async () => streamInfo(await nc.jetstreamManager(), names), { onRetry: warn });
    let info = await lookUp();
    if (info === null) out(`waiting for stream ${names.stream} (started by aisctl publish or serve --publish)`);
    while (info === null && !stopping.signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, STREAM_POLL_MS));
      info = await lookUp();
    }
    if (info !== null && !stopping.signal.aborted) {
      const partitions = streamPartitions(info, names);
      const replicas = info.config.num_replicas;
      const bucket = await untilJetStreamAnswers(
        `lease bucket ${names.leaseBucket}`,
        server,
        () => leases.openLeaseBucket(nc.jetstream(), names, leaseTtlMs, replicas),
        { onRetry: warn },
      );
      if (bucket.ttlMs !== leaseTtlMs)
        warn(`lease bucket ${names.leaseBucket} has a TTL of ${bucket.ttlMs} ms, which the workers of ${conn.env} share; --lease-ttl ignored`);
      const consumer = await jetStreamConsumer(nc, names, partitions, { ackWaitMs, maxAckPending, onWarning: warn });
      const ownership = new leases.JetStreamLeases(bucket.kv, bucket.ttlMs, {
        partitions,
        ...(flags.name === undefined ? {} : { owner: flags.name }),
        onEvent: (e) => {
          logMetrics.leaseEvents.inc({ event: e.type });
          out(`lease ${e.type}: partition ${e.partition} owner ${e.owner} revision ${e.revision}`);
        },
        onWarning: warn,
      });
      worker = new LogWorker({ consumer, ownership, target: runtime.pipeline, metrics: logMetrics, onWarning: warn });
      out(`worker ${ownership.owner}: stream ${names.stream} (${partitions} partitions, ${replicas} replicas); lease TTL ${bucket.ttlMs} ms`);
      await worker.start();
      const w = worker;
      lagTimer = setInterval(() => void w.refreshLag().catch(() => undefined), LAG_EVERY_MS);
      out(`started: ${w.partitions().length} partitions owned`);
      if (!stopping.signal.aborted) await new Promise((resolve) => stopping.signal.addEventListener('abort', resolve, { once: true }));
    }
    out(`stopping: giving the leases up, writing ${runtime.pipeline.queued} queued messages (signal again to spool them and exit at once)`);
    if (lagTimer) clearInterval(lagTimer);
    await worker?.stop();
    await runtime.pipeline.flush();
    // The acknowledgements of what was just written leave with the flush.
    await nc.flush().catch(() => undefined);
    const c = worker?.counters;
    const p = runtime.pipeline.counters;
    out(
      `stopped: ${c?.received ?? 0} records received (${c?.redelivered ?? 0} redelivered), ${c?.acked ?? 0} acknowledged, ` +
        `${c?.notStored ?? 0} handed back not stored, ${c?.unreadable ?? 0} unreadable; ${p.positionsInserted} positions inserted, ${p.duplicates} duplicates`,
    );
    return EXIT_OK;
  } finally {
    if (lagTimer) clearInterval(lagTimer);
    shutdown.dispose();
    await http.close();
    await nc.drain().catch(() => undefined);
    await runtime.close();
  }
}
