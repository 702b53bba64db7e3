/**
 * `aisctl ingest FILE...`: replay files into the real Redis and PostgreSQL, then print a
 * reconciled summary. Exit 0 when the run completes (rejected input is counted, not fatal);
 * 1 when a server cannot be reached, a file cannot be read, or a misconfiguration (PgBouncer in
 * transaction mode without --pgbouncer) left rows in the dead-letter queue; 3 when a batch could
 * be neither stored nor dead-lettered (reading stops there, the summary says how many messages
 * and why).
 */
import { connectionConfig, parseDurationMs, parseIntOption, UsageError, type ConnectionFlags } from '../config.js';
import { openRuntime, spoolPending, type PipelineRuntime } from '../../pipeline/pipeline-runtime.js';
import { bulkIngestPipeline } from '../../pipeline/pipeline-config.js';
import { runIngest, type IngestTotals } from '../../pipeline/ingest-runner.js';
import type { InputFormat } from '../../formats/input-format.js';
import type { MessageReader } from '../../formats/read-messages.js';
import { buildIngestSummary, renderIngestSummary, stalledByConfiguration } from '../ingest-summary.js';
import { EXIT_ERROR, EXIT_NOT_STORED, EXIT_OK } from '../../errors/aisctl-error.js';
import { parseSourceWeights } from '../source-weights.js';
import { installShutdown } from '../shutdown.js';
import { parsePositiveDuration } from '../live-age.js';

/** As commander hands them over: every flag with a default is present. */
interface IngestFlags extends ConnectionFlags {
  format?: InputFormat;
  source?: string;
  json?: boolean;
  progress: boolean;
  cacheSize: string;
  batchSize: string;
  lanes: string;
  maxFuture: string;
  lateness: string;
  sourceWeight?: string[];
  spoolDir: string;
  dlqWait: string;
  maxLineLength: string;
  liveTtl: string;
}

export async function run(files: string[], flags: IngestFlags): Promise<number> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
  const conn = connectionConfig(flags);
  const cacheSize = parseIntOption('--cache-size', flags.cacheSize, 1, 10_000_000);
  const maxBatch = parseIntOption('--batch-size', flags.batchSize, 1, 100_000);
  const lanes = parseIntOption('--lanes', flags.lanes, 1, 1024);
  const maxFutureMs = parseDurationMs('--max-future', flags.maxFuture);
  const maxLineLength = parseIntOption('--max-line-length', flags.maxLineLength, 256, 1_073_741_824);
  const latenessMs = parseDurationMs('--lateness', flags.lateness);
  const dlqWaitMs = parseDurationMs('--dlq-wait', flags.dlqWait);
  const sourceWeights = parseSourceWeights(flags.sourceWeight ?? []);
  const liveTtlMs = parsePositiveDuration('--live-ttl', flags.liveTtl);
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    if (!flags.json) process.stderr.write(`aisctl: ${m}\n`);
  };

  const started = Date.now();
  const runtime = await openRuntime({
    ...conn,
    cacheSize,
    spoolDir: flags.spoolDir,
    liveTtlMs,
    fusion: { latenessMs, sourceWeights },
    pipeline: { ...bulkIngestPipeline(maxBatch), lanes },
    onWarning: warn,
  });

  const abort = new AbortController();
  const shutdown = installShutdown({
    graceful: () => {
      warn('stopping: no more input is read; writing what was read (signal again to spool it and exit at once)');
      abort.abort();
    },
    immediate: async () => {
      const n = await spoolPending(runtime);
      process.stderr.write(`aisctl: ${n} messages spooled to ${flags.spoolDir}; replay them with \`aisctl dlq replay\`\n`);
    },
  });

  const progress = flags.progress && !flags.json && process.stderr.isTTY ? await createProgress(runtime) : null;
  let totals: IngestTotals;
  try {
    totals = await runIngest(runtime, {
      files,
      format: flags.format,
      source: flags.source,
      maxFutureMs,
      maxLineLength,
      nowMs: Date.now,
      signal: abort.signal,
      onFileStart: (file, reader) => progress?.start(file, reader),
      onBatch: () => progress?.update(),
      onFileError: (file, err) => warn(`${file}: ${err.message}`),
    });
    progress?.stop();
    const drain = await runtime.drainDeadLetters(dlqWaitMs);
    const summary = buildIngestSummary(runtime, totals, { startedMs: started, endedMs: Date.now(), dlqRemaining: drain.remaining, warnings });
    if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(renderIngestSummary(summary));
    if (summary.notStored !== null) return EXIT_NOT_STORED;
    return totals.failedFiles > 0 || stalledByConfiguration(summary) ? EXIT_ERROR : EXIT_OK;
  } finally {
    progress?.stop();
    shutdown.dispose();
    await runtime.close();
  }
}

async function createProgress(runtime: PipelineRuntime): Promise<{ start(file: string, reader: MessageReader): void; update(): void; stop(): void }> {
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      format: ' {file} |{bar}| {percentage}% | {mb}/{totalMb} MB | {messages} msgs | {rate} msg/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let reader: MessageReader | null = null;
  let fileName = '';
  let t0 = performance.now();
  let last = 0;
  let active = false;
  const payload = () => {
    const p = reader?.progress;
    const done = runtime.pipeline.counters.completed;
    const secs = (performance.now() - t0) / 1000;
    return {
      file: fileName,
      mb: ((p?.bytesRead ?? 0) / 1e6).toFixed(1),
      totalMb: p?.totalBytes == null ? '?' : (p.totalBytes / 1e6).toFixed(1),
      messages: done,
      rate: secs > 0 ? Math.round(done / secs) : 0,
    };
  };
  return {
    start(file, r) {
      if (active) bar.stop();
      reader = r;
      fileName = file.length > 30 ? `…${file.slice(-29)}` : file;
      t0 = performance.now();
      bar.start(1, 0, payload());
      active = true;
    },
    update() {
      const now = performance.now();
      if (!active || now - last < 100) return;
      last = now;
      const p = reader?.progress;
      bar.setTotal(p?.totalBytes ?? Math.max(1, p?.bytesRead ?? 1));
      bar.update(p?.bytesRead ?? 0, payload());
    },
    stop() {
      if (!active) return;
      const p = reader?.progress;
      bar.update(p?.totalBytes ?? p?.bytesRead ?? 0, payload());
      bar.stop();
      active = false;
    },
  };
}
