/**
 * Turns the body of `POST /v1/messages` into normalized messages (through the same parsers as
 * file ingest) and submits them to the pipeline.
 *
 * Bodies by media type (as mapped by http-server.ts):
 * - `text/plain`: NMEA lines (tag blocks and multi-sentence messages included); the other line
 *   formats aisctl reads (aisctl JSONL, aisstream, CSV feeds) are recognised from the content
 *   the same way `aisctl ingest` recognises a file, so a client that labels every body
 *   text/plain still gets JSON lines read as JSON.
 * - `application/x-ndjson`: one JSON object per line: aisctl JSONL or aisstream messages.
 * - `application/json`: one object, an array of objects (each aisctl JSONL or aisstream), or an
 *   AISHub document. Error `line` numbers are then 1-based positions in the array.
 *
 * Each request gets its own parser: requests can arrive concurrently and must not interleave
 * fragments, so a multi-sentence NMEA message has to arrive within one request.
 *
 * Acknowledgement: the result counts a message as accepted only once the pipeline reports it
 * durable (stored, or dead-lettered to Redis or the fsynced spool). The answer therefore waits
 * for the batch writes; a message that could be neither stored nor dead-lettered makes the
 * result `notStored`, which the HTTP edge answers with 503 so the sender retries.
 *
 * Streaming: a line body (NMEA, JSON lines, CSV) may arrive as chunks of text; lines are read
 * as they come and submitted with back-pressure: an already saturated pipeline refuses the whole
 * request (503, nothing submitted); one that fills up while a body is being read makes the
 * request stop reading until it drains, which slows the sender down through TCP instead of
 * holding the body. A JSON document needs its whole text and is read whole (within the server's
 * JSON limit).
 */
import type { NormalizedMessage, Rejection } from '../normalize/message.js';
import type { NormalizeOutcome } from '../normalize/normalize-outcome.js';
import { createParser } from '../formats/create-parser.js';
import { detectFormat } from '../formats/detect-format.js';
import type { InputFormat } from '../formats/input-format.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../formats/json-depth.js';
import { DEFAULT_MAX_LINE_LENGTH, LineSplitter, type SplitLine } from '../formats/line-splitter.js';
import type { RecordParser } from '../formats/record-parser.js';
import type { MessageDone } from '../pipeline/pipeline.js';
import type { IngestError, IngestResult } from './http-server.js';
import { ingestBodyChunks, ingestBodyText, type IngestBody } from './ingest-body.js';
import { createReceiptClock } from '../pipeline/receipt-clock.js';
import { IngestOverloadedError } from './ingest-overloaded-error.js';
import { errorMessage } from '../errors/error-message.js';

/** What the handler needs of the pipeline (Pipeline satisfies it). */
export interface IngestTarget {
  /** `done` is called once per message: true when durable, false when it could not be made so. */
  submit(msg: NormalizedMessage, startMs: number, done: MessageDone): void;
  readonly saturated: boolean;
  drained(): Promise<void>;
}

/** Counters the handler feeds (PipelineMetrics satisfies it); label values are bounded. */
export interface IngestCounters {
  readonly messages: { inc(labels: { outcome: string }, value?: number): void };
  readonly rejections: { inc(labels: { reason: string }, value?: number): void };
}

export interface IngestHandlerOptions {
  readonly pipeline: IngestTarget;
  readonly metrics?: IngestCounters;
  /** Wall clock, ms since epoch: receive time for the future check and as fallback message time. */
  readonly nowMs: () => number;
  /** The pipeline's latency clock (performance.now): a message's start time. */
  readonly clockMs: () => number;
  /** Reject message times further ahead than this. */
  readonly maxFutureMs: number;
  /** Overrides the source of every message (default: tag block station, else `http`). */
  readonly source?: string;
  /** Errors kept per request (all are counted in `rejected`). Default 1000. */
  readonly maxErrors?: number;
  /** Longest line of a line body; longer ones are rejected as `line_too_long`. Default 64 KiB. */
  readonly maxLineLength?: number;
  /** Why messages could not be made durable (the pipeline's first failure), for the answer. */
  readonly failureReason?: () => string | null;
}

export interface IngestHandlerResult extends IngestResult {
  /** Records that were valid but carry nothing aisctl tracks (base stations, AtoN, other types). */
  readonly ignored: number;
  /** Formats the body was read as. */
  readonly formats: InputFormat[];
  /** The body held nothing but whitespace. */
  readonly empty: boolean;
  /** Reading the body failed part-way (too large, bad compression, client gone). */
  readonly bodyError: Error | null;
}

export type IngestHandler = (body: IngestBody, contentType: string) => Promise<IngestHandlerResult>;

/** Lines (and characters) looked at to recognise a line body's format, as for files. */
const DETECT_LINES = 50;
const DETECT_CHARS = 64 * 1024;

const ORIGIN_FILE = 'http';

function splitLines(body: string): string[] {
  return body.split(/\r?\n/);
}

function detectTextFormat(lines: readonly string[]): InputFormat {
  try {
    return detectFormat(lines.slice(0, DETECT_LINES).join('\n'));
  } catch {
    // Unrecognisable text is read as NMEA, so every bad line gets its own reason.
    return 'nmea';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** aisstream messages carry MessageType + MetaData; everything else is read as aisctl JSONL. */
function jsonRecordFormat(obj: Record<string, unknown>): 'aisstream' | 'jsonl' {
  return 'MessageType' in obj && 'MetaData' in obj ? 'aisstream' : 'jsonl';
}

/** `[{"ERROR":false,...},[...]]`: the AISHub web service's answer. */
function isAishubDocument(v: unknown): boolean {
  return Array.isArray(v) && v.length === 2 && isObject(v[0]) && ('ERROR' in v[0] || 'FORMAT' in v[0]) && Array.isArray(v[1]);
}

/** A line body's format from its first lines; x-ndjson bodies are JSON lines of some kind. */
function lineFormat(contentType: string, head: readonly string[]): InputFormat {
  const detected = detectTextFormat(head);
  if (contentType === 'application/x-ndjson') return detected === 'aisstream' || detected === 'aishub' ? detected : 'jsonl';
  return detected;
}

export function createIngestHandler(opts: IngestHandlerOptions): IngestHandler {
  const maxErrors = opts.maxErrors ?? 1000;
  const maxLineLength = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  // Time-less NMEA lines of one body (and of consecutive bodies) each get a distinct receipt time.
  const receipt = createReceiptClock(opts.nowMs);

  return async function ingest(body: IngestBody, contentType: string): Promise<IngestHandlerResult> {
    if (opts.pipeline.saturated) throw new IngestOverloadedError('pipeline overloaded', 1);
    const nowMs = opts.nowMs();
    const startMs = opts.clockMs();
    const errors: IngestError[] = [];
    let rejected = 0;
    let ignored = 0;
    let empty = true;
    let bodyError: Error | null = null;
    const formats = new Set<InputFormat>();
    const parsers = new Map<InputFormat, RecordParser>();
    /** Parsed, not yet submitted: submission may have to wait for the pipeline to drain. */
    let ready: NormalizedMessage[] = [];

    // Acknowledgement bookkeeping: counts only, so a long streamed body costs no memory per message.
    let outstanding = 0;
    let durable = 0;
    let notStored = 0;
    let settle: (() => void) | null = null;
    const done: MessageDone = (ok) => {
      outstanding--;
      if (ok) durable++;
      else notStored++;
      if (outstanding === 0 && settle !== null) settle();
    };

    const reject = (r: Rejection): void => {
      rejected++;
      opts.metrics?.rejections.inc({ reason: r.reason });
      if (errors.length < maxErrors) errors.push({ line: r.origin.line, reason: r.reason, detail: r.detail });
    };
    const emit = (o: NormalizeOutcome): void => {
      for (const m of o.messages) ready.push(m);
      if (o.rejection !== null) reject(o.rejection);
      if (o.ignored) ignored++;
    };
    const parserFor = (format: InputFormat): RecordParser => {
      let p = parsers.get(format);
      if (p === undefined) {
        p = createParser(format, { file: ORIGIN_FILE, source: opts.source, maxFutureMs: opts.maxFutureMs });
        parsers.set(format, p);
        formats.add(format);
      }
      return p;
    };
    const feedLine = (parser: RecordParser, l: SplitLine): void => {
      if (l.line.trim() !== '' || l.tooLong !== undefined) empty = false;
      if (l.tooLong !== undefined) {
        reject({
          reason: 'line_too_long',
          detail: `line of ${l.tooLong} characters is over the ${maxLineLength}-character limit`,
          origin: { file: ORIGIN_FILE, line: l.lineNo },
        });
        return;
      }
      parser.parseLine(l.line, l.lineNo, receipt(), emit);
    };
    /** Hands what is ready to the pipeline, waiting whenever it is saturated. */
    const submitReady = async (): Promise<void> => {
      const batch = ready;
      ready = [];
      for (const m of batch) {
        if (opts.pipeline.saturated) await opts.pipeline.drained();
        outstanding++;
        opts.pipeline.submit(m, startMs, done);
      }
    };

    if (contentType === 'application/json') {
      let text = '';
      try {
        text = await ingestBodyText(body);
      } catch (err) {
        bodyError = err instanceof Error ? err : new Error(String(err));
      }
      if (bodyError === null) {
        empty = text.trim() === '';
        if (!empty)
          readJsonDocument(text, nowMs, parserFor, (f, lines) => lines.forEach((line, i) => feedLine(parserFor(f), { line, lineNo: i + 1 })), reject, emit);
      }
    } else {
      const splitter = new LineSplitter(maxLineLength);
      const head: SplitLine[] = [];
      let headChars = 0;
      let parser: RecordParser | null = null;
      const take = async (lines: readonly SplitLine[]): Promise<void> => {
        for (const l of lines) {
          if (parser === null) {
            head.push(l);
            headChars += l.line.length;
            if (head.length < DETECT_LINES && headChars < DETECT_CHARS) continue;
            parser = startParser();
            continue;
          }
          feedLine(parser, l);
        }
        await submitReady();
      };
      const startParser = (): RecordParser => {
        const p = parserFor(
          lineFormat(
            contentType,
            head.filter((l) => l.tooLong === undefined).map((l) => l.line),
          ),
        );
        for (const l of head) feedLine(p, l);
        head.length = 0;
        return p;
      };
      try {
        for await (const chunk of ingestBodyChunks(body)) {
          await take(splitter.push(chunk));
          // A message of this request could not be stored: the sender will retry the request,
          // so reading more of it only makes more to retry.
          if (notStored > 0) break;
        }
        if (notStored === 0) await take(splitter.end());
      } catch (err) {
        bodyError = err instanceof Error ? err : new Error(String(err));
      }
      if (parser === null && head.length > 0) parser = startParser();
    }
    for (const p of parsers.values()) p.finish(nowMs, emit);
    await submitReady();

    if (rejected > 0) opts.metrics?.messages.inc({ outcome: 'rejected' }, rejected);
    if (ignored > 0) opts.metrics?.messages.inc({ outcome: 'ignored' }, ignored);

    // Answer only once every submitted message is durable (or known not to be).
    if (outstanding > 0) await new Promise<void>((resolve) => (settle = resolve));
    const result: IngestHandlerResult = { accepted: durable, rejected, errors, ignored, formats: [...formats], empty, bodyError };
    if (notStored === 0) return result;
    return { ...result, notStored, notStoredReason: opts.failureReason?.() ?? 'the stores and the dead-letter queue are unavailable' };
  };
}

function readJsonDocument(
  body: string,
  nowMs: number,
  parserFor: (f: InputFormat) => RecordParser,
  feedLines: (f: InputFormat, lines: readonly string[]) => void,
  reject: (r: Rejection) => void,
  emit: (o: NormalizeOutcome) => void,
): void {
  if (jsonDepthExceeds(body)) {
    reject({ reason: 'malformed_record', detail: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, origin: { file: ORIGIN_FILE, line: 1 } });
    return;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    // Not one JSON document: perhaps JSON lines sent as application/json, a common mix-up.
    const lines = splitLines(body);
    const nonEmpty = lines.filter((l) => l.trim() !== '');
    if (nonEmpty.length > 1 && nonEmpty.every((l) => l.trim().startsWith('{'))) {
      const detected = detectTextFormat(lines);
      feedLines(detected === 'aisstream' ? 'aisstream' : 'jsonl', lines);
      return;
    }
    reject({ reason: 'malformed_record', detail: `invalid JSON: ${errorMessage(err)}`, origin: { file: ORIGIN_FILE, line: 1 } });
    return;
  }
  if (isAishubDocument(doc)) {
    feedLines('aishub', splitLines(body));
    return;
  }
  const records = Array.isArray(doc) ? doc : [doc];
  records.forEach((rec, i) => {
    const line = i + 1;
    if (!isObject(rec)) {
      reject({
        reason: 'malformed_record',
        detail: `expected a JSON object, got ${rec === null ? 'null' : Array.isArray(rec) ? 'an array' : typeof rec}`,
        origin: { file: ORIGIN_FILE, line },
      });
      return;
    }
    // Depth was checked above, so the round trip through text cannot overflow the stack.
    parserFor(jsonRecordFormat(rec)).parseLine(JSON.stringify(rec), line, nowMs, emit);
  });
}
