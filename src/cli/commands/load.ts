/**
 * `aisctl load --rate 10000 --duration 60s`: open-model load through the in-process pipeline
 * on the real servers (or, with `--via http|udp|tcp`, through the HTTP edge or a live feed of an
 * in-process `serve`); gates turn the figures into an exit code for CI.
 */
import { connectionConfig, parseDurationMs, parseIntOption, parseRatioOption, UsageError, type SessionFlags } from '../config.js';
import { runSession } from '../run-session.js';

export interface LoadFlags extends SessionFlags {
  rate: string;
  duration: string;
  warmup: string;
  vessels: string;
  sources: string;
  dupRate: string;
  lateRate: string;
  badRate: string;
  via: 'inprocess' | 'http' | 'udp' | 'tcp';
  /** SO_RCVBUF of the feed of `--via udp`. */
  feedRcvbuf?: string;
  seed: string;
  name: string;
  batchSize: string;
  linger: string;
  writers: string;
}

export function sourceNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `rx${i + 1}`);
}

export async function run(flags: LoadFlags): Promise<number> {
  const [{ parseGates }, { shapeFromFlags, withWarmup, describeShape }] = await Promise.all([
    import('../../harness/gates.js'),
    import('../../harness/load-shape.js'),
  ]);
  // Everything the user typed is checked before any connection is opened.
  const gates = parseGates(flags.gate ?? []);
  const spec = shapeFromFlags({ rate: flags.rate, duration: flags.duration });
  const warmupMs = parseDurationMs('--warmup', flags.warmup);
  const vessels = parseIntOption('--vessels', flags.vessels, 1, 10_000_000);
  const sources = parseIntOption('--sources', flags.sources, 1, 64);
  const mix = {
    dupRate: parseRatioOption('--dup-rate', flags.dupRate),
    lateRate: parseRatioOption('--late-rate', flags.lateRate),
    badRate: parseRatioOption('--bad-rate', flags.badRate),
  };
  const seed = parseIntOption('--seed', flags.seed, 0, 2 ** 31);
  const pipeline = {
    maxBatch: parseIntOption('--batch-size', flags.batchSize, 1, 100_000),
    lingerMs: parseDurationMs('--linger', flags.linger),
    maxConcurrentWrites: parseIntOption('--writers', flags.writers, 1, 64),
  };
  if (flags.via === 'http') {
    const { runHttpLoadCommand } = await import('../http-load-command.js');
    return runHttpLoadCommand({ ...flags, conn: connectionConfig(flags) }, { gates, spec, warmupMs, vessels, sources: sourceNames(sources), mix, seed });
  }
  if (flags.feedRcvbuf !== undefined && flags.via !== 'udp') throw new UsageError('--feed-rcvbuf applies to --via udp only');
  if (flags.via === 'udp' || flags.via === 'tcp') {
    const rcvbufBytes = flags.feedRcvbuf === undefined ? undefined : parseIntOption('--feed-rcvbuf', flags.feedRcvbuf, 1024, 2 ** 31 - 1);
    const { runFeedLoadCommand } = await import('../feed-load-command.js');
    return runFeedLoadCommand(
      { ...flags, conn: connectionConfig(flags) },
      { via: flags.via, gates, spec, warmupMs, vessels, sources: sourceNames(sources), mix, seed, pipeline, rcvbufBytes },
    );
  }
  const conn = connectionConfig(flags);
  const fullShape = warmupMs > 0 ? withWarmup(spec, warmupMs) : spec;
  const settings = {
    shape: describeShape(spec),
    warmup: `${warmupMs / 1000}s`,
    vessels,
    sources,
    dupRate: mix.dupRate,
    lateRate: mix.lateRate,
    badRate: mix.badRate,
    via: 'inprocess',
    seed,
    batchSize: pipeline.maxBatch,
    linger: `${pipeline.lingerMs}ms`,
    writers: pipeline.maxConcurrentWrites,
  };
  const plannedMs = fullShape.type === 'constant' ? fullShape.durationMs : null;
  return runLoadSession({
    conn,
    name: flags.name,
    settings,
    plannedMs,
    gates,
    json: flags.json ?? false,
    tui: flags.tui,
    reportsDir: flags.reportsDir,
    load: { shape: fullShape, warmupMs, vessels, sources: sourceNames(sources), ...mix, seed },
    pipeline,
  });
}

export interface LoadSessionOptions {
  readonly conn: import('../config.js').ConnectionConfig;
  readonly name: string;
  readonly settings: Record<string, string | number>;
  readonly plannedMs: number | null;
  readonly gates: import('../../harness/gates.js').Gate[];
  readonly json: boolean;
  readonly tui: boolean;
  readonly reportsDir: string;
  readonly load: Omit<import('../../harness/load-runner.js').LoadRunOptions, 'runtime' | 'reporter' | 'wallNowMs' | 'signal'>;
  /** Fault injection hook (scenarios): called every tick with the elapsed ms. */
  readonly onTick?: (elapsedMs: number) => void;
  /** The injected faults' spans, shaded in the HTML report. */
  readonly faults?: readonly import('../../harness/run-events.js').FaultWindow[];
  readonly breakerHalfOpenAfterMs?: number;
  readonly spoolDir?: string;
  readonly pipeline?: Partial<import('../../pipeline/pipeline-config.js').PipelineConfig>;
}

export async function runLoadSession(o: LoadSessionOptions): Promise<number> {
  const [{ openRuntime }, { runLoad }, { installShutdown }] = await Promise.all([
    import('../../pipeline/pipeline-runtime.js'),
    import('../../harness/load-runner.js'),
    import('../shutdown.js'),
  ]);
  if (o.load.vessels < 1) throw new UsageError('--vessels must be at least 1');
  const runtime = await openRuntime({
    ...o.conn,
    spoolDir: o.spoolDir,
    ...(o.pipeline ? { pipeline: o.pipeline } : {}),
    ...(o.breakerHalfOpenAfterMs === undefined ? {} : { breakerHalfOpenAfterMs: o.breakerHalfOpenAfterMs }),
  });
  const abort = new AbortController();
  const shutdown = installShutdown({
    graceful: () => abort.abort(),
    immediate: async () => undefined,
  });
  try {
    return await runSession(
      {
        info: { command: 'load', name: o.name, settings: o.settings, plannedMs: o.plannedMs, ...(o.faults ? { faults: o.faults } : {}) },
        gates: o.gates,
        json: o.json,
        tui: o.tui,
        reportsDir: o.reportsDir,
      },
      async (reporter) => {
        runtime.breakers.onStateChange((state, name) => reporter.warning(`${name} circuit breaker ${state}`));
        const result = await runLoad({
          ...o.load,
          runtime,
          reporter,
          wallNowMs: Date.now,
          signal: abort.signal,
          ...(o.onTick ? { onTick: o.onTick } : {}),
        });
        const drain = await runtime.drainDeadLetters(30_000);
        result.metrics.dlq_size = drain.remaining;
        return { metrics: result.metrics, details: result.details, distribution: result.latency.distribution() };
      },
    );
  } finally {
    shutdown.dispose();
    await runtime.close();
  }
}
