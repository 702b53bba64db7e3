/**
 * `aisctl publish FILE... [--nats URL]`: the edge of a scaled-out run. Reads and validates files
 * exactly as `ingest` does (fragment reassembly needs the whole input, so decoding stays here)
 * and appends each normalized message to the environment's JetStream stream, in the partition
 * of its MMSI, with a content id the server de-duplicates on. Creates the stream when missing.
 * Prints a reconciled summary: messages read = appended + duplicates + not published. Exit 0 when
 * every message was acknowledged by the stream, 3 when some were not, 1 on an error.
 */
import { connectionConfig, natsUrl, parseDurationMs, parseIntOption, UsageError, type ConnectionFlags } from '../config.js';
import type { InputFormat } from '../../formats/input-format.js';
import type { Rejection } from '../../normalize/message.js';
import { EXIT_ERROR, EXIT_NOT_STORED, EXIT_OK } from '../../errors/aisctl-error.js';
import { errorMessage } from '../../errors/error-message.js';
import { installShutdown } from '../shutdown.js';
import { MAX_PARTITIONS } from '../../log/log-defaults.js';

interface PublishFlags extends ConnectionFlags {
  nats?: string;
  format?: InputFormat;
  source?: string;
  json?: boolean;
  partitions?: string;
  defaultPartitions: string;
  replicas: string;
  dedupWindow: string;
  maxInFlight: string;
  maxFuture: string;
  maxLineLength: string;
}

export interface PublishSummary {
  readonly stream: string;
  readonly partitions: number;
  readonly files: number;
  readonly failedFiles: number;
  readonly lines: number;
  readonly messages: number;
  readonly rejected: number;
  readonly ignored: number;
  readonly appended: number;
  readonly duplicates: number;
  readonly notPublished: number;
  readonly retries: number;
  readonly aborted: boolean;
  readonly seconds: number;
  readonly examples: string[];
  readonly error: string | null;
}

export async function run(files: string[], flags: PublishFlags): Promise<number> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
  const { env } = connectionConfig(flags);
  const url = natsUrl(flags.nats);
  const requested = flags.partitions !== undefined;
  const partitions = parseIntOption('--partitions', flags.partitions ?? flags.defaultPartitions, 1, MAX_PARTITIONS);
  const replicas = parseIntOption('--replicas', flags.replicas, 1, 5);
  const dedupWindowMs = parseDurationMs('--dedup-window', flags.dedupWindow);
  const maxInFlight = parseIntOption('--max-in-flight', flags.maxInFlight, 1, 1_000_000);
  const maxFutureMs = parseDurationMs('--max-future', flags.maxFuture);
  const maxLineLength = parseIntOption('--max-line-length', flags.maxLineLength, 256, 1_073_741_824);
  const warn = (m: string): void => {
    if (!flags.json) process.stderr.write(`aisctl publish: ${m}\n`);
  };

  const [
    { logNames },
    { connectNats },
    { ensureStream },
    { jetStreamProducer },
    { LogPublisher },
    { readMessages },
    { createReceiptClock },
    { untilJetStreamAnswers },
  ] = await Promise.all([
    import('../../log/log-names.js'),
    import('../../log/jetstream-connection.js'),
    import('../../log/jetstream-stream.js'),
    import('../../log/jetstream-producer.js'),
    import('../../log/log-publisher.js'),
    import('../../formats/read-messages.js'),
    import('../../pipeline/receipt-clock.js'),
    import('../../log/jetstream-retry.js'),
  ]);
  const names = logNames(env);
  const nc = await connectNats(url, `aisctl publish ${env}`);
  const started = performance.now();
  try {
    // A cluster electing the new stream's leader may answer late (jetstream-retry.ts).
    const p = await untilJetStreamAnswers(
      `stream ${names.stream}`,
      nc.getServer(),
      async () => ensureStream(await nc.jetstreamManager(), names, { partitions, replicas, dedupWindowMs }, requested),
      { onRetry: warn },
    );
    const publisher = new LogPublisher(jetStreamProducer(nc, names, p), { maxInFlight });
    const abort = new AbortController();
    const shutdown = installShutdown({
      graceful: () => {
        warn('stopping: no more input is read; waiting for the acknowledgements of what was sent (signal again to exit at once)');
        abort.abort();
      },
      immediate: async () => {
        process.stderr.write(`aisctl publish: ${publisher.queued} messages not acknowledged; publish the file again (duplicates are dropped)\n`);
      },
    });
    const examples: string[] = [];
    let lines = 0;
    let messages = 0;
    let rejected = 0;
    let ignored = 0;
    let failedFiles = 0;
    const receiveClock = createReceiptClock(Date.now);
    const onRejection = (r: Rejection): void => {
      if (examples.length < 20) examples.push(`${r.origin.file}:${r.origin.line}: ${r.reason}: ${r.detail}`);
    };
    try {
      for (const file of files) {
        if (abort.signal.aborted) break;
        const reader = readMessages(file, { format: flags.format, source: flags.source, nowMs: receiveClock, maxFutureMs, maxLineLength, onRejection });
        try {
          for await (const batch of reader) {
            const start = performance.now();
            for (const msg of batch) publisher.submit(msg, start);
            if (publisher.saturated) await publisher.drained();
            if (abort.signal.aborted) break;
          }
        } catch (err) {
          failedFiles++;
          warn(`${file}: ${errorMessage(err)}`);
        }
        lines += reader.stats.lines;
        messages += reader.stats.messages;
        rejected += reader.stats.rejectedTotal;
        ignored += reader.stats.ignoredTotal;
      }
      await publisher.flush();
    } finally {
      shutdown.dispose();
    }
    const c = publisher.counters;
    const summary: PublishSummary = {
      stream: names.stream,
      partitions: p,
      files: files.length,
      failedFiles,
      lines,
      messages,
      rejected,
      ignored,
      appended: c.appended,
      duplicates: c.duplicates,
      notPublished: c.failed,
      retries: c.retries,
      aborted: abort.signal.aborted,
      seconds: (performance.now() - started) / 1000,
      examples,
      error: publisher.failure,
    };
    if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else process.stdout.write(renderPublishSummary(summary));
    if (c.failed > 0) return EXIT_NOT_STORED;
    return failedFiles > 0 ? EXIT_ERROR : EXIT_OK;
  } finally {
    await nc.drain().catch(() => undefined);
  }
}

export function renderPublishSummary(s: PublishSummary): string {
  const rate = s.seconds > 0 ? Math.round(s.messages / s.seconds) : 0;
  const out = [
    `published to ${s.stream} (${s.partitions} partitions) in ${s.seconds.toFixed(1)} s, ${rate} msg/s${s.aborted ? ' (stopped by a signal)' : ''}`,
    `  read         ${s.files} files, ${s.lines} lines, ${s.messages} messages, ${s.rejected} rejected, ${s.ignored} ignored`,
    `  appended     ${s.appended}`,
    `  duplicates   ${s.duplicates} (already in the stream's duplicate window)`,
    `  NOT published ${s.notPublished}${s.error === null ? '' : `: ${s.error}`}`,
    `  reconciled   ${s.messages} read = ${s.appended} appended + ${s.duplicates} duplicates + ${s.notPublished} not published`,
  ];
  if (s.retries > 0) out.push(`  retries      ${s.retries}`);
  if (s.examples.length > 0) out.push('  rejections (first ones):', ...s.examples.map((e) => `    ${e}`));
  return `${out.join('\n')}\n`;
}
