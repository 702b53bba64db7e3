/**
 * Replays files through the pipeline: read (any format, gzip, stdin) -> validate -> fuse ->
 * batch -> Redis + PostgreSQL, with back-pressure from the pipeline to the reader so memory
 * stays bounded whatever the file size.
 */
import type { InputFormat } from '../formats/input-format.js';
import { readMessages, type MessageReader } from '../formats/read-messages.js';
import type { ReaderStats } from '../formats/reader-stats.js';
import type { Rejection } from '../normalize/message.js';
import type { PipelineRuntime } from './pipeline-runtime.js';
import { createReceiptClock } from './receipt-clock.js';
import { errorMessage } from '../errors/error-message.js';

export interface IngestOptions {
  readonly files: readonly string[];
  readonly format?: InputFormat;
  readonly source?: string;
  readonly maxFutureMs: number;
  /** Longer lines are rejected as `line_too_long` (default DEFAULT_MAX_LINE_LENGTH). */
  readonly maxLineLength?: number;
  /** Receive-time clock for inputs without times (wall clock in the CLI). */
  readonly nowMs: () => number;
  /** Stop reading (first SIGINT): what was read is still written. */
  readonly signal?: AbortSignal;
  /** Rejection examples kept for the summary (all are counted). */
  readonly maxExamples?: number;
  readonly onFileStart?: (file: string, reader: MessageReader) => void;
  readonly onFileError?: (file: string, error: Error) => void;
  readonly onBatch?: () => void;
}

export interface FileSummary {
  readonly file: string;
  readonly format: string | null;
  readonly lines: number;
  readonly records: number;
  readonly messages: number;
  readonly rejected: number;
  readonly ignored: number;
  readonly error: string | null;
}

export interface IngestTotals {
  readonly files: FileSummary[];
  readonly lines: number;
  readonly records: number;
  readonly messages: number;
  readonly positions: number;
  readonly statics: number;
  readonly rejected: number;
  readonly rejectedByReason: Record<string, number>;
  readonly ignored: number;
  readonly ignoredByKind: Record<string, number>;
  readonly outOfRangeNulled: Record<string, number>;
  readonly decode: Record<string, unknown> | null;
  readonly examples: string[];
  readonly aborted: boolean;
  /**
   * Reading stopped because a batch could be neither stored nor dead-lettered: what was not read
   * stays with its producer (stdin is not drained), so nothing more is taken that cannot be kept.
   */
  readonly stoppedOnFailure: boolean;
  readonly failedFiles: number;
}

function addCounts(into: Record<string, number>, from: Readonly<Partial<Record<string, number>>>): void {
  for (const [k, v] of Object.entries(from)) if (v !== undefined) into[k] = (into[k] ?? 0) + v;
}

function addDecode(into: Record<string, unknown>, from: object): void {
  for (const [k, v] of Object.entries(from)) {
    if (typeof v === 'number') into[k] = ((into[k] as number | undefined) ?? 0) + v;
    else if (v !== null && typeof v === 'object') {
      const sub = (into[k] as Record<string, unknown> | undefined) ?? {};
      addDecode(sub, v as object);
      into[k] = sub;
    }
  }
}

export async function runIngest(runtime: PipelineRuntime, opts: IngestOptions): Promise<IngestTotals> {
  const { pipeline } = runtime;
  const maxExamples = opts.maxExamples ?? 20;
  const examples: string[] = [];
  const files: FileSummary[] = [];
  const rejectedByReason: Record<string, number> = {};
  const ignoredByKind: Record<string, number> = {};
  const outOfRangeNulled: Record<string, number> = {};
  let decode: Record<string, unknown> | null = null;
  let totals = { lines: 0, records: 0, messages: 0, positions: 0, statics: 0, rejected: 0, ignored: 0 };
  let aborted = false;
  let stoppedOnFailure = false;
  let failedFiles = 0;
  const failed = (): boolean => {
    if (pipeline.failure === null) return false;
    stoppedOnFailure = true;
    return true;
  };

  const receiveClock = createReceiptClock(opts.nowMs);

  const onRejection = (r: Rejection): void => {
    runtime.metrics.rejections.inc({ reason: r.reason });
    runtime.metrics.messages.inc({ outcome: 'rejected' });
    if (examples.length < maxExamples) examples.push(`${r.origin.file}:${r.origin.line}: ${r.reason}: ${r.detail}`);
  };

  for (const file of opts.files) {
    if (opts.signal?.aborted) {
      aborted = true;
      break;
    }
    if (failed()) break;
    const reader = readMessages(file, {
      format: opts.format,
      source: opts.source,
      nowMs: receiveClock,
      maxFutureMs: opts.maxFutureMs,
      maxLineLength: opts.maxLineLength,
      onRejection,
      onIgnored: () => runtime.metrics.messages.inc({ outcome: 'ignored' }),
    });
    opts.onFileStart?.(file, reader);
    let error: string | null = null;
    try {
      for await (const batch of reader) {
        const start = performance.now();
        for (const msg of batch) pipeline.submit(msg, start);
        opts.onBatch?.();
        if (pipeline.saturated) await pipeline.drained();
        if (opts.signal?.aborted) {
          aborted = true;
          break;
        }
        if (failed()) break;
      }
    } catch (err) {
      error = errorMessage(err);
      failedFiles++;
      opts.onFileError?.(file, err instanceof Error ? err : new Error(error));
    }
    const s: ReaderStats = reader.stats;
    files.push({
      file,
      format: s.format,
      lines: s.lines,
      records: s.records,
      messages: s.messages,
      rejected: s.rejectedTotal,
      ignored: s.ignoredTotal,
      error,
    });
    totals = {
      lines: totals.lines + s.lines,
      records: totals.records + s.records,
      messages: totals.messages + s.messages,
      positions: totals.positions + s.positions,
      statics: totals.statics + s.statics,
      rejected: totals.rejected + s.rejectedTotal,
      ignored: totals.ignored + s.ignoredTotal,
    };
    addCounts(rejectedByReason, s.rejected);
    addCounts(ignoredByKind, s.ignored);
    addCounts(outOfRangeNulled, s.outOfRange);
    if (s.decode) {
      decode ??= {};
      addDecode(decode, s.decode);
    }
    if (aborted || stoppedOnFailure) break;
  }
  await pipeline.flush();
  return { files, ...totals, rejectedByReason, ignoredByKind, outOfRangeNulled, decode, examples, aborted, stoppedOnFailure, failedFiles };
}
