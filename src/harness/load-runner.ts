/**
 * `aisctl load`: generated traffic sent by an open-model scheduler through the same in-process
 * pipeline as `aisctl ingest` (NMEA parse, validation, fusion, batching, Redis + PostgreSQL).
 *
 * Each message's latency runs from its *intended* send time to the acknowledgement of its
 * durable writes, so queueing anywhere (event loop, batches, the servers) shows up in the
 * percentiles instead of silently stretching the schedule (no coordinated omission).
 *
 * The scheduler and the traffic generator run on a thread of their own
 * (load-generator-worker.ts): this thread parses and pipelines what it is handed, and its own
 * backlog is what `late` counts here: sends this thread began more than LATE_TOLERANCE_MS after
 * their intended time (the generator's lag is in `details.scheduler`).
 */
import { createParser } from '../formats/create-parser.js';
import type { NormalizeOutcome } from '../normalize/normalize-outcome.js';
import { DEFAULT_MAX_FUTURE_MS } from '../normalize/time.js';
import { LatencyRecorder } from '../metrics/latency-recorder.js';
import type { PipelineRuntime } from '../pipeline/pipeline-runtime.js';
import type { MetricsSnapshot, Reporter } from './run-events.js';
import { buildLoadShape, type LoadShapeSpec } from './load-shape.js';
import type { SchedulerStats } from './open-model-scheduler.js';
import type { TaggedDone } from '../pipeline/pipeline.js';
import { SendTiming } from './feed-load-driver.js';
import { startHarnessWorker } from './harness-worker.js';
import { threadCpuMs } from './thread-cpu.js';
import type { GeneratorConfig, GeneratorControl, GeneratorMessage, GeneratorStats, SendBatch } from './load-generator-protocol.js';
import { errorMessage } from '../errors/error-message.js';
import { OutstandingSends } from './outstanding-sends.js';

export interface LoadRunOptions {
  readonly runtime: PipelineRuntime;
  /** The whole schedule, warm-up included (see withWarmup). */
  readonly shape: LoadShapeSpec;
  readonly warmupMs: number;
  readonly vessels: number;
  readonly sources: readonly string[];
  readonly dupRate: number;
  readonly lateRate: number;
  readonly badRate: number;
  readonly seed: number;
  readonly reporter: Pick<Reporter, 'tick' | 'warning'>;
  readonly tickMs?: number;
  /** Wall clock for the generator's simulated receive times. */
  readonly wallNowMs: () => number;
  readonly signal?: AbortSignal;
  /** Called at each tick with the elapsed ms, e.g. to inject faults. */
  readonly onTick?: (elapsedMs: number) => void;
}

export interface LoadRunResult {
  readonly metrics: Record<string, number>;
  readonly details: Record<string, unknown>;
  readonly latency: LatencyRecorder;
  readonly scheduler: SchedulerStats;
}

/** Scheduler figures before the generator thread's first report: nothing issued yet. */
function idleStats(elapsedMs: number): SchedulerStats {
  const none = { issued: 0, late: 0, dropped: 0, completed: 0, failed: 0, maxLagMs: 0 };
  return { phase: 'warmup', elapsedMs, inFlight: 0, maxInFlightSeen: 0, behind: 0, abandoned: 0, stoppedEarly: false, warmup: none, measure: none };
}

/**
 * CPU per message submitted during the measured phase: of the pipeline's thread alone (null off
 * Linux) and of the whole process (the generator thread and V8's helper threads included).
 */
function cpuPerMessage(
  at: { threadMs: number | null; process: NodeJS.CpuUsage; submitted: number } | null,
  submitted: number,
): { cpuUsPerMessage: number | null; processCpuUsPerMessage: number | null } {
  const n = at === null ? 0 : submitted - at.submitted;
  if (at === null || n <= 0) return { cpuUsPerMessage: null, processCpuUsPerMessage: null };
  const thread = threadCpuMs();
  const p = process.cpuUsage(at.process);
  return {
    cpuUsPerMessage: thread === null || at.threadMs === null ? null : ((thread - at.threadMs) * 1000) / n,
    processCpuUsPerMessage: (p.user + p.system) / n,
  };
}

/** Time for the start message to reach the waiting generator thread, before the first send is due. */
const START_LEAD_MS = 100;
const PROGRESS_EVERY_MS = 250;
/**
 * Completions go back to the generator thread at most this often. They only keep its in-flight
 * count (latency is recorded on this thread when a message is durable); posting them at every
 * turn of the event loop (setImmediate) cost 5.6 % of this thread at 10,000 msg/s (--cpu-prof,
 * one postMessage per turn), which the measured pipeline paid for.
 */
const COMPLETIONS_EVERY_MS = 5;
/** As the scheduler's default: timer granularity is not backlog. */
const LATE_TOLERANCE_MS = 2;

export async function runLoad(opts: LoadRunOptions): Promise<LoadRunResult> {
  const { runtime } = opts;
  const { pipeline } = runtime;
  const shape = buildLoadShape(opts.shape);
  const recorder = new LatencyRecorder();
  const timing = new SendTiming(shape, opts.warmupMs);
  const config: GeneratorConfig = {
    shape: opts.shape,
    warmupMs: opts.warmupMs,
    generator: { vessels: opts.vessels, sources: opts.sources, seed: opts.seed, dupRate: opts.dupRate, lateRate: opts.lateRate, badRate: opts.badRate },
    originNs: timing.originNs,
    wallAtOriginMs: opts.wallNowMs(),
    progressEveryMs: PROGRESS_EVERY_MS,
  };
  const parser = createParser('nmea', { file: 'generator', source: undefined, maxFutureMs: DEFAULT_MAX_FUTURE_MS });
  const outcomes = { accepted: 0, rejected: 0, ignored: 0, notDurable: 0 };
  // This thread's backlog, measured sends only.
  const backlog = { late: 0, maxLagMs: 0 };

  // Sends whose messages are not all durable yet: send number -> messages outstanding.
  const outstanding = new OutstandingSends();
  let completed: number[] = [];
  let completionsArmed = false;
  // The send being parsed: the parser calls back synchronously.
  let currentSeq = -1;
  let currentStartMs = 0;
  let submitted = 0;
  let settledWhileParsing = 0;
  let parsing = false;

  const worker = startHarnessWorker('load-generator-worker', config);
  const post = (m: GeneratorControl, transfer: ArrayBuffer[] = []): void => worker.postMessage(m, transfer);
  const flushCompletions = (): void => {
    completionsArmed = false;
    const seqs = Float64Array.from(completed);
    completed = [];
    post({ type: 'completed', seqs }, [seqs.buffer as ArrayBuffer]);
  };
  const completeSend = (seq: number): void => {
    completed.push(seq);
    if (!completionsArmed) {
      completionsArmed = true;
      setTimeout(flushCompletions, COMPLETIONS_EVERY_MS);
    }
  };

  // One function for every message (the tag is its send number): nothing allocated per message.
  const onDone: TaggedDone = (durable, seq, startMs) => {
    if (!durable) outcomes.notDurable++;
    else if (timing.isMeasured(startMs)) recorder.recordMs(performance.now() - startMs);
    if (parsing && seq === currentSeq) {
      settledWhileParsing++;
      return;
    }
    const left = (outstanding.get(seq) || 1) - 1;
    if (left > 0) {
      outstanding.set(seq, left);
      return;
    }
    outstanding.delete(seq);
    completeSend(seq);
  };

  const emit = (o: NormalizeOutcome): void => {
    if (o.rejection !== null) outcomes.rejected++;
    if (o.ignored) outcomes.ignored++;
    for (const m of o.messages) {
      outcomes.accepted++;
      submitted++;
      pipeline.submit(m, currentStartMs, onDone, currentSeq);
    }
  };

  const onSends = (b: SendBatch): void => {
    const text = b.text;
    let at = 0;
    for (let i = 0; i < b.seqs.length; i++) {
      const seq = b.seqs[i] as number;
      currentSeq = seq;
      const nowMs = performance.now();
      currentStartMs = timing.intendedMs(seq) ?? nowMs;
      if (timing.isMeasured(currentStartMs)) {
        const lag = nowMs - currentStartMs;
        if (lag > LATE_TOLERANCE_MS) backlog.late++;
        if (lag > backlog.maxLagMs) backlog.maxLagMs = lag;
      }
      submitted = 0;
      settledWhileParsing = 0;
      parsing = true;
      const receiveNow = b.receiveMs[i] as number;
      for (let k = b.lineCounts[i] as number; k > 0; k--) {
        let end = text.indexOf('\n', at);
        if (end < 0) end = text.length;
        parser.parseLine(text.slice(at, end), seq, receiveNow, emit);
        at = end + 1;
      }
      parsing = false;
      const left = submitted - settledWhileParsing;
      if (left > 0) outstanding.set(seq, left);
      else completeSend(seq);
    }
  };

  let latest: GeneratorStats | null = null;
  let finishedOk: (s: GeneratorStats) => void = () => undefined;
  let finishedFailed: (e: Error) => void = () => undefined;
  const finished = new Promise<GeneratorStats>((resolve, reject) => {
    finishedOk = resolve;
    finishedFailed = reject;
  });
  // A failure before `finished` is awaited must not count as an unhandled rejection.
  finished.catch(() => undefined);
  let ready: () => void = () => undefined;
  const readyOrFailed = new Promise<void>((resolve, reject) => {
    ready = resolve;
    void finished.catch(reject);
  });
  let ended = false;
  worker.on('message', (m: GeneratorMessage) => {
    switch (m.type) {
      case 'sends':
        onSends(m);
        break;
      case 'ready':
        ready();
        break;
      case 'progress':
        latest = m.stats;
        break;
      case 'done':
        ended = true;
        latest = m.stats;
        finishedOk(m.stats);
        break;
      case 'failed':
        ended = true;
        finishedFailed(new Error(`the load generator failed: ${m.error}`));
        break;
    }
  });
  worker.on('error', (err) => {
    ended = true;
    finishedFailed(new Error(`the load generator failed: ${errorMessage(err)}`));
  });
  worker.on('exit', (code) => {
    if (!ended) finishedFailed(new Error(`the load generator stopped (exit ${code}) before finishing`));
  });
  try {
    await readyOrFailed;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  const startAtNs = timing.nowNs() + START_LEAD_MS * 1e6;
  timing.startAt(startAtNs);
  post({ type: 'start', startAtNs });
  const runStartMs = timing.perfAtOriginMs + startAtNs / 1e6;
  // CPU of this thread alone (parse, fusion, batches, store clients), from the measured phase on.
  let cpuAtMeasure: { threadMs: number | null; process: NodeJS.CpuUsage; submitted: number } | null = null;
  const warmupTimer = setTimeout(
    () => {
      cpuAtMeasure = { threadMs: threadCpuMs(), process: process.cpuUsage(), submitted: pipeline.counters.submitted };
    },
    Math.max(0, runStartMs + opts.warmupMs - performance.now()),
  );

  const schedulerStats = (): SchedulerStats => latest?.scheduler ?? idleStats(Math.max(0, performance.now() - runStartMs));
  const tickMs = opts.tickMs ?? 1000;
  let lastCompleted = 0;
  let lastTick = performance.now();
  let dlqSize = 0;
  const snapshot = (phase: MetricsSnapshot['phase']): MetricsSnapshot => {
    const s = schedulerStats();
    const now = performance.now();
    // Messages whose send finished (durable, or dropped by fusion as duplicates), per second.
    const completed = s.warmup.completed + s.measure.completed;
    const throughput = ((completed - lastCompleted) * 1000) / Math.max(1, now - lastTick);
    lastCompleted = completed;
    lastTick = now;
    const cache = runtime.history.cacheStats();
    return {
      elapsedMs: s.elapsedMs,
      phase,
      progress: shape.durationMs > 0 ? Math.min(1, s.elapsedMs / shape.durationMs) : null,
      throughput,
      // The summary's `processed` leaves the warm-up out; the live figure must count the same.
      processed: s.measure.completed,
      latency: recorder.summary(),
      intervalLatency: recorder.takeInterval(),
      deadlocks: pipeline.counters.deadlocks,
      cacheHitRate: cache.hitRate,
      dlqSize,
      late: backlog.late,
      dropped: s.measure.dropped,
      errors: s.measure.failed + outcomes.notDurable,
      queued: pipeline.queued,
      breakers: runtime.breakers.states(),
      sourceQuality: pipeline.sourceQuality(),
      extra: { behind: s.behind, inFlight: s.inFlight, batches: pipeline.counters.batches },
    };
  };
  const ticker = setInterval(() => {
    void runtime.dlqSize().then((n) => {
      dlqSize = n;
    });
    const s = schedulerStats();
    opts.onTick?.(s.elapsedMs);
    opts.reporter.tick(snapshot(s.phase === 'done' ? 'drain' : s.phase));
  }, tickMs);
  const onAbort = (): void => post({ type: 'stop' });
  opts.signal?.addEventListener('abort', onAbort);

  let stats: GeneratorStats;
  try {
    stats = await finished;
    await pipeline.flush();
  } finally {
    clearInterval(ticker);
    opts.signal?.removeEventListener('abort', onAbort);
    clearTimeout(warmupTimer);
    await worker.terminate();
  }
  const cpu = cpuPerMessage(cpuAtMeasure, pipeline.counters.submitted);
  // The whole run's, warm-up included: the generator thread does the same work per send throughout.
  const generatorCpuUsPerMessage = stats.cpuMs === null || pipeline.counters.submitted === 0 ? null : (stats.cpuMs * 1000) / pipeline.counters.submitted;
  const measuredMs = Math.max(1, performance.now() - Math.min(performance.now(), timing.measureStartMs));
  dlqSize = await runtime.dlqSize();
  latest = stats;
  opts.reporter.tick(snapshot('done'));

  const m = stats.scheduler.measure;
  const cache = runtime.history.cacheStats();
  const intended = m.issued + m.dropped;
  const metrics: Record<string, number> = {
    ...recorder.gateMetrics(),
    throughput: (m.completed * 1000) / measuredMs,
    processed: m.completed,
    errors: m.failed + outcomes.notDurable,
    error_ratio: m.issued === 0 ? 0 : (m.failed + outcomes.notDurable) / m.issued,
    dropped: m.dropped,
    drop_ratio: intended === 0 ? 0 : m.dropped / intended,
    late: backlog.late,
    late_ratio: m.issued === 0 ? 0 : backlog.late / m.issued,
    deadlocks: pipeline.counters.deadlocks,
    cache_hit_rate: cache.hitRate ?? 0,
    dlq_size: dlqSize,
    lost: pipeline.counters.notStored,
    rejected: outcomes.rejected + pipeline.counters.fusionRejected,
    breaker_opens: runtime.breakers.redis.stats().opens + runtime.breakers.postgres.stats().opens,
  };
  const details: Record<string, unknown> = {
    scheduler: stats.scheduler,
    generatorThread: { cpuUsPerMessage: generatorCpuUsPerMessage },
    pipelineThread: { late: backlog.late, maxLagMs: backlog.maxLagMs, ...cpu },
    generated: stats.generated,
    outcomes,
    pipeline: { ...pipeline.counters },
    cache,
    sourceQuality: pipeline.sourceQuality(),
    storeLatency: { postgres: runtime.storeLatency.postgres.summary(), redis: runtime.storeLatency.redis.summary() },
    latencyCountedMessages: recorder.count,
  };
  return { metrics, details, latency: recorder, scheduler: stats.scheduler };
}
