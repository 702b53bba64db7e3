/**
 * `aisctl load --via udp|tcp`: the generated traffic sent to a live feed (`udp://` or
 * `tcp-listen://` on 127.0.0.1) of an in-process `aisctl serve`, so the feed path users deploy is
 * what is measured: sockets, line splitting, back-pressure, decoding, fusion, batches, stores.
 *
 * The sender (scheduler and generator) runs in a worker thread and the service in this one, as
 * two processes on a host would (feed-load-sender.ts). Latency runs, as in the in-process mode,
 * from each message's intended send time to its durable acknowledgement; the send number in each
 * line's tag block leads back to that time (send-number.ts).
 *
 * UDP may lose datagrams before aisctl reads them (a full receive buffer) and aisctl drops those
 * it reads while the pipeline is saturated: neither is an error of the pipeline, so neither is in
 * `errors` or `lost`; both are in `udp_loss`, counted over the whole run (a lost datagram cannot
 * say which phase it belonged to).
 */
import { runSession } from './run-session.js';
import type { ConnectionConfig } from './config.js';
import type { FeedRunner, FeedTarget } from '../feeds/feed-runner.js';
import type { FeedLoadAcks, FeedLoadSender, SendTiming } from '../harness/feed-load-driver.js';
import type { Gate } from '../harness/gates.js';
import type { EventClock, FeedVia, SenderStats } from '../harness/feed-load-protocol.js';
import type { LoadShapeSpec } from '../harness/load-shape.js';
import type { MetricsSnapshot } from '../harness/run-events.js';
import type { PercentilePoint } from '../metrics/latency-recorder.js';
import type { PipelineConfig } from '../pipeline/pipeline-config.js';
import type { PipelineRuntime } from '../pipeline/pipeline-runtime.js';

/** After the last send: how long the feed may go without reading anything before the rest is given up. */
const DELIVERY_STALL_MS = 5_000;
const DELIVERY_POLL_MS = 20;
const TICK_MS = 1_000;
const PROGRESS_EVERY_MS = 250;
const FEED_NAME = 'load';

export interface FeedLoadFlags {
  readonly name: string;
  readonly json?: boolean;
  readonly tui: boolean;
  readonly reportsDir: string;
  readonly conn: ConnectionConfig;
}

export interface FeedLoadPlan {
  readonly via: FeedVia;
  readonly gates: Gate[];
  readonly spec: LoadShapeSpec;
  readonly warmupMs: number;
  readonly vessels: number;
  readonly sources: string[];
  readonly mix: { dupRate: number; lateRate: number; badRate: number };
  readonly seed: number;
  readonly pipeline: Partial<PipelineConfig>;
  /** SO_RCVBUF of the UDP feed; the system default when absent. */
  readonly rcvbufBytes?: number | undefined;
}

/** `real time`, or `from 9m54s back, 12.3x` when the rate is above what the fleet transmits. */
function describeEventClock(c: EventClock): string {
  if (c.leadMs <= 0) return `real time (the fleet transmits about ${Math.round(c.fleetRate)} msg/s)`;
  const s = Math.round(c.leadMs / 1000);
  const back = s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
  return `from ${back} back, faster than real time (the fleet transmits about ${Math.round(c.fleetRate)} msg/s at ITU intervals)`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function runFeedLoadCommand(flags: FeedLoadFlags, plan: FeedLoadPlan): Promise<number> {
  const [{ startServe }, { parseFeedSpec }, driver, { buildLoadShape, describeShape, withWarmup }, { LatencyRecorder }, { installShutdown }] =
    await Promise.all([
      import('./commands/serve.js'),
      import('../feeds/feed-url.js'),
      import('../harness/feed-load-driver.js'),
      import('../harness/load-shape.js'),
      import('../metrics/latency-recorder.js'),
      import('./shutdown.js'),
    ]);
  const fullSpec = plan.warmupMs > 0 ? withWarmup(plan.spec, plan.warmupMs) : plan.spec;
  const shape = buildLoadShape(fullSpec);
  const timing = new driver.SendTiming(shape, plan.warmupMs);
  const acks = new driver.FeedLoadAcks(timing, new LatencyRecorder());
  const track = (pipeline: FeedTarget): FeedTarget => ({
    submit: (msg, startMs, done) => pipeline.submit(msg, startMs, acks.track(startMs, done)),
    get saturated() {
      return pipeline.saturated;
    },
    drained: () => pipeline.drained(),
    get failing() {
      return pipeline.failing;
    },
    recovered: () => pipeline.recovered(),
  });
  let warn = (message: string): void => {
    process.stderr.write(`aisctl load: ${message}\n`);
  };
  const url = plan.via === 'udp' ? `${FEED_NAME}=udp://127.0.0.1:0` : `${FEED_NAME}=tcp-listen://127.0.0.1:0`;
  const serve = await startServe({
    ...flags.conn,
    host: '127.0.0.1',
    port: 0,
    feeds: [parseFeedSpec(url)],
    feedOptions: { rcvbufBytes: plan.rcvbufBytes },
    pipeline: plan.pipeline,
    feedInstrumentation: { lineStartMs: timing.lineStartMs, target: track },
    onWarning: (m) => warn(m),
  });
  const feeds = serve.feeds;
  if (feeds === null) throw new Error('serve started without its load feed');
  const feed = feeds.feed(FEED_NAME);
  const address = feed.transport.address ?? { host: '127.0.0.1', port: 0 };
  const runtime = serve.runtime;
  const pipeline = runtime.pipeline;
  const sender: { current: FeedLoadSender | null } = { current: null };
  const shutdown = installShutdown({ graceful: () => sender.current?.stop(), immediate: async () => undefined });
  try {
    const s = await driver.startFeedLoadSender(
      {
        via: plan.via,
        host: address.host,
        port: address.port,
        shape: fullSpec,
        warmupMs: plan.warmupMs,
        generator: { vessels: plan.vessels, sources: plan.sources, seed: plan.seed, ...plan.mix },
        progressEveryMs: PROGRESS_EVERY_MS,
      },
      timing,
    );
    sender.current = s;
    return await runSession(
      {
        info: {
          command: 'load',
          name: flags.name,
          settings: {
            via: plan.via,
            feed: `${plan.via === 'udp' ? 'udp' : 'tcp-listen'}://${address.host}:${address.port}`,
            shape: describeShape(plan.spec),
            warmup: `${plan.warmupMs / 1000}s`,
            vessels: plan.vessels,
            sources: plan.sources.length,
            dupRate: plan.mix.dupRate,
            lateRate: plan.mix.lateRate,
            badRate: plan.mix.badRate,
            seed: plan.seed,
            eventTime: describeEventClock(s.eventClock),
            ...(plan.via === 'udp' ? { rcvbuf: plan.rcvbufBytes ?? 'system default' } : {}),
            ...(plan.pipeline.maxBatch === undefined ? {} : { batchSize: plan.pipeline.maxBatch }),
            ...(plan.pipeline.lingerMs === undefined ? {} : { linger: `${plan.pipeline.lingerMs}ms` }),
            ...(plan.pipeline.maxConcurrentWrites === undefined ? {} : { writers: plan.pipeline.maxConcurrentWrites }),
          },
          plannedMs: shape.durationMs,
        },
        gates: plan.gates,
        json: flags.json ?? false,
        tui: flags.tui,
        reportsDir: flags.reportsDir,
      },
      async (reporter) => {
        warn = (m) => reporter.warning(m);
        const runner = feed.runner;
        let last = { durable: 0, at: performance.now() };
        let dlqSize = 0;
        const snapshot = (phase: MetricsSnapshot['phase']): MetricsSnapshot => {
          const st = s.latest;
          const now = performance.now();
          const durable = acks.total.durable;
          const throughput = ((durable - last.durable) * 1000) / Math.max(1, now - last.at);
          last = { durable, at: now };
          const m = st?.scheduler.measure;
          const elapsedMs = st?.scheduler.elapsedMs ?? 0;
          return {
            elapsedMs,
            phase,
            progress: shape.durationMs > 0 ? Math.min(1, elapsedMs / shape.durationMs) : null,
            throughput,
            processed: durable,
            latency: acks.recorder.summary(),
            deadlocks: pipeline.counters.deadlocks,
            cacheHitRate: runtime.history.cacheStats().hitRate,
            dlqSize,
            late: m?.late ?? 0,
            dropped: m?.dropped ?? 0,
            errors: (m?.failed ?? 0) + acks.measure.notDurable,
            queued: pipeline.queued,
            breakers: runtime.breakers.states(),
            sourceQuality: pipeline.sourceQuality(),
            extra: {
              sent: st?.sent.sends ?? 0,
              linesRead: runner.stats.lines,
              inFlight: st?.scheduler.inFlight ?? 0,
              ...(plan.via === 'udp'
                ? { datagramsRead: runner.stats.datagrams, udpDropped: runner.stats.dropped.saturated + runner.stats.dropped.failing }
                : {}),
              ...(runner.paused ? { paused: 'yes' } : {}),
            },
          };
        };
        const ticker = setInterval(() => {
          void runtime.dlqSize().then((n) => {
            dlqSize = n;
          });
          const phase = s.latest?.scheduler.phase ?? 'warmup';
          reporter.tick(snapshot(phase === 'done' ? 'drain' : phase));
        }, TICK_MS);
        let report: SenderStats;
        let undelivered: string | null;
        try {
          s.begin();
          report = await s.finished;
          undelivered = await awaitDelivery(plan.via, report, () => {
            feeds.refresh();
            return runner.stats;
          });
          if (undelivered !== null) reporter.warning(undelivered);
          await pipeline.flush();
        } finally {
          clearInterval(ticker);
        }
        const measuredMs = Math.max(1, performance.now() - timing.measureStartMs);
        dlqSize = await runtime.dlqSize();
        feeds.refresh();
        reporter.tick(snapshot('done'));
        const summary = summarize({ plan, report, measuredMs, dlqSize, undelivered, runner, acks, timing, runtime });
        summary.details['eventClock'] = s.eventClock;
        return summary;
      },
    );
  } finally {
    shutdown.dispose();
    await sender.current?.terminate().catch(() => undefined);
    await serve.stop();
  }
}

interface FeedCounts {
  readonly datagrams: number;
  readonly bytes: number;
  readonly dropped: { readonly kernel: number };
}

/**
 * Waits until the feed has read what the sender sent: every byte over TCP; every datagram over
 * UDP, or the kernel counted it dropped. Returns why it stopped waiting otherwise.
 */
async function awaitDelivery(via: FeedVia, report: SenderStats, read: () => FeedCounts): Promise<string | null> {
  const sent = report.sent;
  let progress = -1;
  let stalledSince = performance.now();
  for (;;) {
    const c = read();
    const done = via === 'udp' ? c.datagrams + c.dropped.kernel >= sent.datagrams : c.bytes >= sent.bytes;
    if (done) return null;
    const now = performance.now();
    const seen = via === 'udp' ? c.datagrams : c.bytes;
    if (seen !== progress) {
      progress = seen;
      stalledSince = now;
    } else if (now - stalledSince >= DELIVERY_STALL_MS) {
      return via === 'udp'
        ? `${sent.datagrams - c.datagrams - c.dropped.kernel} datagrams sent were neither read nor counted as dropped by the kernel (lost before the socket, or /proc/net/udp is not available)`
        : `${sent.bytes - c.bytes} bytes sent were not read by the feed within ${DELIVERY_STALL_MS / 1000} s of the last send`;
    }
    await sleep(DELIVERY_POLL_MS);
  }
}

interface SummaryInput {
  readonly plan: FeedLoadPlan;
  readonly report: SenderStats;
  readonly measuredMs: number;
  readonly dlqSize: number;
  readonly undelivered: string | null;
  readonly runner: FeedRunner;
  readonly acks: FeedLoadAcks;
  readonly timing: SendTiming;
  readonly runtime: PipelineRuntime;
}

function summarize(o: SummaryInput): { metrics: Record<string, number>; details: Record<string, unknown>; distribution: PercentilePoint[] } {
  const { report, acks, runner, runtime } = o;
  const pipeline = runtime.pipeline;
  const m = report.scheduler.measure;
  const intended = m.issued + m.dropped;
  const errors = m.failed + acks.measure.notDurable;
  const cache = runtime.history.cacheStats();
  const fs = runner.stats;
  const metrics: Record<string, number> = {
    ...acks.recorder.gateMetrics(),
    throughput: (acks.measure.durable * 1000) / o.measuredMs,
    processed: acks.measure.durable,
    errors,
    error_ratio: m.issued === 0 ? 0 : errors / m.issued,
    dropped: m.dropped,
    drop_ratio: intended === 0 ? 0 : m.dropped / intended,
    late: m.late,
    late_ratio: m.issued === 0 ? 0 : m.late / m.issued,
    deadlocks: pipeline.counters.deadlocks,
    cache_hit_rate: cache.hitRate ?? 0,
    dlq_size: o.dlqSize,
    lost: pipeline.counters.notStored,
    rejected: fs.rejected + pipeline.counters.fusionRejected,
    breaker_opens: runtime.breakers.redis.stats().opens + runtime.breakers.postgres.stats().opens,
    line_rate: (o.timing.lines.measure * 1000) / o.measuredMs,
  };
  const details: Record<string, unknown> = {
    via: o.plan.via,
    sender: report,
    acks: { warmup: { ...acks.warmup }, measure: { ...acks.measure } },
    feed: { name: runner.spec.name, detail: runner.describe(), stats: { ...fs, dropped: { ...fs.dropped } } },
    lines: { ...o.timing.lines, measuredPerSecond: metrics.line_rate },
    pipeline: { ...pipeline.counters },
    cache,
    sourceQuality: pipeline.sourceQuality(),
    storeLatency: { postgres: runtime.storeLatency.postgres.summary(), redis: runtime.storeLatency.redis.summary() },
    latencyCountedMessages: acks.recorder.count,
    ...(o.undelivered === null ? {} : { undelivered: o.undelivered }),
  };
  if (o.plan.via === 'udp') {
    const sent = report.sent.datagrams;
    const notRead = Math.max(0, sent - fs.datagrams);
    const droppedRead = fs.dropped.saturated + fs.dropped.failing;
    const loss = notRead + droppedRead;
    Object.assign(metrics, {
      udp_sent: sent,
      udp_received: fs.datagrams,
      udp_not_read: notRead,
      udp_kernel_drops: fs.dropped.kernel,
      udp_dropped: droppedRead,
      udp_loss: loss,
      udp_loss_ratio: sent === 0 ? 0 : loss / sent,
    });
    details['udp'] = {
      note: 'whole run, warm-up included: a datagram that never arrived cannot say which phase it was sent in',
      sent,
      received: fs.datagrams,
      notRead,
      kernelDrops: fs.dropped.kernel,
      droppedSaturated: fs.dropped.saturated,
      droppedFailing: fs.dropped.failing,
      loss,
    };
  } else {
    details['tcp'] = {
      sentLines: report.sent.lines,
      readLines: fs.lines,
      sentBytes: report.sent.bytes,
      readBytes: fs.bytes,
      pauses: fs.pauses + fs.failingPauses,
    };
  }
  return { metrics, details, distribution: acks.recorder.distribution() };
}
