/**
 * `aisctl load`: generated traffic sent by an open-model scheduler through the same in-process
 * pipeline as `aisctl ingest` (NMEA parse, validation, fusion, batching, Redis + PostgreSQL).
 *
 * Each message's latency runs from its *intended* send time to the acknowledgement of its
 * durable writes, so queueing anywhere (event loop, batches, the servers) shows up in the
 * percentiles instead of silently stretching the schedule (no coordinated omission).
 */
import { createParser } from '../formats/create-parser.js';
import type { NormalizeOutcome } from '../normalize/normalize-outcome.js';
import { DEFAULT_MAX_FUTURE_MS } from '../normalize/time.js';
import { LatencyRecorder } from '../metrics/latency-recorder.js';
import type { PipelineRuntime } from '../pipeline/pipeline-runtime.js';
import type { MetricsSnapshot, Reporter } from './run-events.js';
import { buildLoadShape, type LoadShapeSpec } from './load-shape.js';
import { OpenModelScheduler, type SchedulerStats, type SendPhase } from './open-model-scheduler.js';
import { createTrafficGenerator, type GeneratedKind } from './traffic-generator.js';
import { errorMessage } from '../errors/error-message.js';

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

const perfClockNs = (): number => performance.now() * 1e6;

export async function runLoad(opts: LoadRunOptions): Promise<LoadRunResult> {
  const { runtime } = opts;
  const { pipeline } = runtime;
  const shape = buildLoadShape(opts.shape);
  const recorder = new LatencyRecorder();
  const generator = createTrafficGenerator({
    vessels: opts.vessels,
    sources: opts.sources,
    seed: opts.seed,
    startTimeMs: opts.wallNowMs(),
    dupRate: opts.dupRate,
    lateRate: opts.lateRate,
    badRate: opts.badRate,
    // At thousands of messages per second whole-second tag times would make most reports of
    // one vessel collide; receivers that log milliseconds exist, and the parser takes both.
    tagTimeMs: true,
    // --rate may be far above what --vessels would transmit; event time then runs faster than
    // the wall clock rather than vessels reporting every few hundred milliseconds.
    honourIntervals: true,
  });
  const parser = createParser('nmea', { file: 'generator', source: undefined, maxFutureMs: DEFAULT_MAX_FUTURE_MS });
  const generated: Record<GeneratedKind, number> = { good: 0, duplicate: 0, late: 0, corrupt: 0 };
  const outcomes = { accepted: 0, rejected: 0, ignored: 0, notDurable: 0 };
  let measureAccepted = 0;
  const wallStart = opts.wallNowMs();
  const t0 = performance.now();

  // The parser calls back synchronously, so these describe the send being processed.
  let currentIntendedMs = 0;
  let currentPhase: SendPhase = 'warmup';
  let pendingForSend = 0;
  let resolveSend: (() => void) | null = null;

  const ack = (intendedMs: number, phase: SendPhase, settle: () => void) => (durable: boolean) => {
    if (durable) {
      if (phase === 'measure') {
        recorder.recordMs(performance.now() - intendedMs);
        measureAccepted++;
      }
    } else {
      outcomes.notDurable++;
    }
    settle();
  };

  const emit = (o: NormalizeOutcome): void => {
    if (o.rejection !== null) outcomes.rejected++;
    if (o.ignored) outcomes.ignored++;
    for (const m of o.messages) {
      outcomes.accepted++;
      pendingForSend++;
      const settleOne = resolveSend;
      const intended = currentIntendedMs;
      const phase = currentPhase;
      pipeline.submit(
        m,
        intended,
        ack(intended, phase, () => settleOne?.()),
      );
    }
  };

  const send = (intendedNs: number, seq: number, phase: SendPhase): Promise<void> | void => {
    const intendedMs = intendedNs / 1e6;
    const simNow = wallStart + (intendedMs - t0);
    const g = generator.next(simNow);
    generated[g.kind]++;
    currentIntendedMs = intendedMs;
    currentPhase = phase;
    let outstanding = 0;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let parsing = true;
    resolveSend = () => {
      outstanding--;
      if (outstanding === 0 && !parsing) finish();
    };
    pendingForSend = 0;
    // The receive clock the parser validates against is the generator's event time.
    const receiveNow = Math.max(simNow, generator.eventTimeMs);
    for (const line of g.lines) parser.parseLine(line, seq, receiveNow, emit);
    outstanding += pendingForSend;
    parsing = false;
    resolveSend = null;
    if (outstanding <= 0) return;
    return done;
  };

  const scheduler = new OpenModelScheduler({
    shape,
    send,
    warmupMs: opts.warmupMs,
    clock: perfClockNs,
    onError: (err) => opts.reporter.warning(`send failed: ${errorMessage(err)}`),
  });

  const tickMs = opts.tickMs ?? 1000;
  let lastCompleted = 0;
  let lastTick = performance.now();
  let dlqSize = 0;
  const snapshot = (phase: MetricsSnapshot['phase']): MetricsSnapshot => {
    const s = scheduler.stats();
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
      late: s.measure.late,
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
    const s = scheduler.stats();
    opts.onTick?.(s.elapsedMs);
    opts.reporter.tick(snapshot(s.phase === 'done' ? 'drain' : s.phase));
  }, tickMs);
  const onAbort = (): void => scheduler.stop();
  opts.signal?.addEventListener('abort', onAbort);

  const measureStart = { completed: 0, at: 0 };
  let stats: SchedulerStats;
  try {
    const warmupTimer = setTimeout(() => {
      measureStart.completed = measureAccepted;
      measureStart.at = performance.now();
    }, opts.warmupMs);
    stats = await scheduler.run();
    clearTimeout(warmupTimer);
    await pipeline.flush();
  } finally {
    clearInterval(ticker);
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const measuredMs = Math.max(1, performance.now() - (measureStart.at || t0));
  dlqSize = await runtime.dlqSize();
  opts.reporter.tick(snapshot('done'));

  const m = stats.measure;
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
    late: m.late,
    late_ratio: m.issued === 0 ? 0 : m.late / m.issued,
    deadlocks: pipeline.counters.deadlocks,
    cache_hit_rate: cache.hitRate ?? 0,
    dlq_size: dlqSize,
    lost: pipeline.counters.notStored,
    rejected: outcomes.rejected + pipeline.counters.fusionRejected,
    breaker_opens: runtime.breakers.redis.stats().opens + runtime.breakers.postgres.stats().opens,
  };
  const details: Record<string, unknown> = {
    scheduler: stats,
    generated,
    outcomes,
    pipeline: { ...pipeline.counters },
    cache,
    sourceQuality: pipeline.sourceQuality(),
    storeLatency: { postgres: runtime.storeLatency.postgres.summary(), redis: runtime.storeLatency.redis.summary() },
    latencyCountedMessages: recorder.count,
  };
  return { metrics, details, latency: recorder, scheduler: stats };
}
