/**
 * The one entry the pipeline uses to read an input: open (gzip, stdin), detect or take the
 * format, parse, validate, and yield normalized messages in batches. Rejections and ignored
 * records go to the callbacks and the counters; nothing is dropped silently.
 */
import type { NormalizedMessage, Rejection } from '../normalize/message.js';
import { rejectedOutcome, type NormalizeOutcome } from '../normalize/normalize-outcome.js';
import type { Readable } from 'node:stream';
import { createParser } from './create-parser.js';
import { detectFormat, FormatDetectionError } from './detect-format.js';
import { errorMessage } from '../errors/error-message.js';
import type { InputFormat } from './input-format.js';
import { NmeaParser } from './nmea-parser.js';
import { DEFAULT_MAX_LINE_LENGTH, lineTooLongDetail } from './line-splitter.js';
import { openInput, type InputLine, type InputProgress, type InputSource } from './open-input.js';
import { countOutcome, createReaderStats, type ReaderStats } from './reader-stats.js';

export interface ReadMessagesOptions {
  /** Skips detection. */
  readonly format?: InputFormat;
  /** Overrides the source of every message. */
  readonly source?: string;
  /** Receive-time clock (the CLI passes Date.now; tests pass a fixed time). */
  readonly nowMs: () => number;
  readonly maxFutureMs: number;
  readonly onRejection: (r: Rejection) => void;
  readonly onIgnored?: (kind: string) => void;
  /** Messages per yielded batch (default 1000). */
  readonly batchSize?: number;
  /** Stream used for `-` (default process.stdin). */
  readonly stdin?: Readable;
  /** Longer lines are rejected as `line_too_long` without being kept (default DEFAULT_MAX_LINE_LENGTH). */
  readonly maxLineLength?: number;
}

/** Lines (and characters) looked at for format detection. */
const DETECT_LINES = 50;
const DETECT_CHARS = 64 * 1024;

export class MessageReader implements AsyncIterable<NormalizedMessage[]> {
  readonly stats: ReaderStats = createReaderStats();
  private input: InputSource | null = null;

  constructor(
    readonly path: string,
    private readonly opts: ReadMessagesOptions,
  ) {}

  get progress(): InputProgress {
    return { bytesRead: this.input?.bytesRead ?? 0, totalBytes: this.input?.totalBytes ?? null };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<NormalizedMessage[]> {
    const opts = this.opts;
    const maxLineLength = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    const input = await openInput(this.path, opts.stdin, { maxLineLength });
    this.input = input;
    // One await per read of the input, not per line: most of what reading a file cost.
    const reads = input.chunks()[Symbol.asyncIterator]();
    try {
      const head: InputLine[] = [];
      // Lines of the last read that detection did not need: parsed right after the head.
      let rest: readonly InputLine[] = [];
      let format = opts.format;
      if (format === undefined) {
        let chars = 0;
        while (head.length < DETECT_LINES && chars < DETECT_CHARS) {
          const next = await reads.next();
          if (next.done === true) break;
          const lines = next.value;
          let i = 0;
          for (; i < lines.length && head.length < DETECT_LINES && chars < DETECT_CHARS; i++) {
            const l = lines[i] as InputLine;
            head.push(l);
            chars += l.line.length + 1;
          }
          if (i < lines.length) {
            rest = lines.slice(i);
            break;
          }
          // A live stream may send one line and then nothing for minutes: decide on what came.
          if (head.some((l) => l.tooLong === undefined && l.line.trim() !== '')) break;
        }
        // An over-long line has no text to go by (it is '').
        const sample = head.filter((l) => l.tooLong === undefined);
        format = detectFormat(sample.map((l) => l.line).join('\n'), this.path);
      }
      this.stats.format = format;
      const parser = createParser(format, { file: this.path, source: opts.source, maxFutureMs: opts.maxFutureMs });
      if (parser instanceof NmeaParser) this.stats.decode = parser.decodeStats;
      const batchSize = opts.batchSize ?? 1000;
      let batch: NormalizedMessage[] = [];
      const stats = this.stats;
      const emit = (o: NormalizeOutcome): void => {
        countOutcome(stats, o);
        for (const m of o.messages) batch.push(m);
        if (o.rejection !== null) opts.onRejection(o.rejection);
        if (o.ignored && opts.onIgnored !== undefined) opts.onIgnored(o.ignoredKind ?? 'other');
      };
      const file = this.path;
      const take = (l: InputLine): void => {
        stats.lines++;
        if (l.tooLong === undefined) parser.parseLine(l.line, l.lineNo, opts.nowMs(), emit);
        else emit(rejectedOutcome(lineTooLong(file, l.lineNo, l.tooLong, maxLineLength)));
      };
      let read: readonly InputLine[] | null = head.length > 0 ? head.concat(rest) : null;
      for (;;) {
        if (read === null) {
          const next = await reads.next();
          if (next.done === true) break;
          read = next.value;
        }
        for (const l of read) {
          take(l);
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
        read = null;
        // Nothing more has arrived yet: what was read goes on now, not when 1,000 lines are in.
        if (batch.length > 0) {
          yield batch;
          batch = [];
        }
      }
      parser.finish(opts.nowMs(), emit);
      if (batch.length > 0) yield batch;
    } catch (e) {
      throw inputError(this.path, e);
    } finally {
      await reads.return?.();
      input.close();
    }
  }
}

/** The line itself goes to no parser: its text was not kept, and no record is that long. */
function lineTooLong(file: string, line: number, length: number, max: number): Rejection {
  return { reason: 'line_too_long', detail: lineTooLongDetail(length, max), origin: { file, line } };
}

function inputError(path: string, e: unknown): Error {
  if (e instanceof FormatDetectionError) return e;
  return new Error(`reading ${path === '-' ? 'stdin' : path} failed: ${errorMessage(e)}`, { cause: e });
}

export function readMessages(path: string, opts: ReadMessagesOptions): MessageReader {
  return new MessageReader(path, opts);
}
