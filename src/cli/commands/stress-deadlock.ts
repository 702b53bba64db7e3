/**
 * `aisctl stress deadlock`: concurrent overlapping vessel upserts on the real PostgreSQL.
 * `--strategy naive` (the seed's unsorted multi-row upserts) must reproduce deadlocks, proving
 * the harness can see them; `safe` (the pipeline's own writer) must show none and lose nothing.
 * It runs in a scratch database on the same server, so the user's data is never touched.
 */
import { connectionConfig, parseDurationMs, parseIntOption, type SessionFlags } from '../config.js';
import { runSession } from '../run-session.js';
import type { MetricsSnapshot } from '../reporters/reporter.js';
import type { StressStrategy } from '../../harness/harness-defaults.js';

interface StressFlags extends SessionFlags {
  concurrency: string;
  vessels: string;
  batchSize: string;
  duration: string;
  strategy: StressStrategy;
  seed: string;
  name: string;
}

export async function run(flags: StressFlags): Promise<number> {
  const { parseGates } = await import('../../harness/gates.js');
  const gates = parseGates(flags.gate ?? []);
  return runStressSession({
    databaseUrl: connectionConfig(flags).databaseUrl,
    concurrency: parseIntOption('--concurrency', flags.concurrency, 1, 100_000),
    vessels: parseIntOption('--vessels', flags.vessels, 1, 10_000_000),
    batchSize: parseIntOption('--batch-size', flags.batchSize, 1, 100_000),
    durationMs: parseDurationMs('--duration', flags.duration),
    strategy: flags.strategy,
    seed: parseIntOption('--seed', flags.seed, 0, 2 ** 31),
    name: flags.name,
    gates,
    json: flags.json ?? false,
    tui: flags.tui,
    reportsDir: flags.reportsDir,
  });
}

export interface StressSessionOptions {
  readonly databaseUrl: string;
  readonly concurrency: number;
  readonly vessels: number;
  readonly batchSize: number;
  readonly durationMs: number;
  readonly strategy: StressStrategy;
  readonly seed: number;
  readonly name: string;
  readonly gates: import('../../harness/gates.js').Gate[];
  readonly json: boolean;
  readonly tui: boolean;
  readonly reportsDir: string;
}

export async function runStressSession(o: StressSessionOptions): Promise<number> {
  const [{ runDeadlockStress }, { createScratchDatabase }, { openPostgres }] = await Promise.all([
    import('../../harness/deadlock-stress.js'),
    import('../../store/postgres/scratch-database.js'),
    import('../../store/connections.js'),
  ]);
  // Fails fast with the one-line advice when the server is not there.
  const probe = await openPostgres(o.databaseUrl, { max: 1 });
  await probe.end();
  const scratch = await createScratchDatabase(o.databaseUrl, 'stress');
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runSession(
      {
        info: {
          command: 'stress deadlock',
          name: o.name,
          settings: {
            strategy: o.strategy,
            concurrency: o.concurrency,
            vessels: o.vessels,
            batchSize: o.batchSize,
            duration: `${o.durationMs / 1000}s`,
            seed: o.seed,
          },
          plannedMs: o.durationMs,
        },
        gates: o.gates,
        json: o.json,
        tui: o.tui,
        reportsDir: o.reportsDir,
      },
      async (reporter) => {
        const snap = (s: import('../../harness/deadlock-stress.js').StressSnapshot, phase: MetricsSnapshot['phase']): MetricsSnapshot => ({
          elapsedMs: s.elapsedMs,
          // Past the duration only batches in flight are left, ending or being cancelled.
          phase: phase === 'measure' && s.elapsedMs >= o.durationMs ? 'drain' : phase,
          progress: Math.min(1, s.elapsedMs / o.durationMs),
          throughput: s.rowsPerSec,
          processed: s.writesExpected,
          latency: s.batchLatency,
          intervalLatency: s.batchLatencyInterval,
          deadlocks: s.deadlocks,
          cacheHitRate: null,
          dlqSize: 0,
          late: 0,
          dropped: 0,
          // A batch that failed, by deadlock or otherwise, is an error of the run; a deadlock the
          // safe writer retried into a commit is not.
          errors: s.batchesFailed,
          queued: 0,
          breakers: {},
          sourceQuality: {},
          extra: {
            strategy: o.strategy,
            committed: s.batchesCommitted,
            failed: s.batchesFailed,
            cancelled: s.batchesCancelled,
            abandoned: s.writersAbandoned,
            retries: s.retries,
            expected: s.writesExpected,
          },
        });
        const r = await runDeadlockStress({
          databaseUrl: scratch.url,
          concurrency: o.concurrency,
          vessels: o.vessels,
          batchSize: o.batchSize,
          durationMs: o.durationMs,
          strategy: o.strategy,
          seed: o.seed,
          signal: abort.signal,
          progressIntervalMs: 1000,
          onProgress: (s) => reporter.tick(snap(s, 'measure')),
        });
        reporter.tick({
          ...snap(r, 'done'),
          extra: {
            strategy: o.strategy,
            failed: r.batchesFailed,
            cancelled: r.batchesCancelled,
            abandoned: r.writersAbandoned,
            expected: r.writesExpected,
            found: r.rowsFound,
            missing: r.rowsMissing,
            retries: r.retries,
          },
        });
        return {
          metrics: {
            deadlocks: r.deadlocks,
            errors: r.batchesFailed,
            missing_writes: r.rowsMissing,
            throughput: r.rowsPerSec,
            processed: r.writesExpected,
            p50: r.batchLatency.p50,
            p95: r.batchLatency.p95,
            p99: r.batchLatency.p99,
            max: r.batchLatency.max,
          },
          details: {
            strategy: r.strategy,
            concurrency: r.concurrency,
            poolSize: r.poolSize,
            durationMs: r.durationMs,
            batchesCommitted: r.batchesCommitted,
            batchesFailed: r.batchesFailed,
            batchesCancelled: r.batchesCancelled,
            writersAbandoned: r.writersAbandoned,
            deadlocks: r.deadlocks,
            retries: r.retries,
            otherErrors: r.otherErrors,
            writesExpected: r.writesExpected,
            writesFound: r.rowsFound,
            writesMissing: r.rowsMissing,
            rowsPerSec: r.rowsPerSec,
            errorSamples: r.errorSamples,
          },
        };
      },
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await scratch.drop().catch(() => undefined);
  }
}
