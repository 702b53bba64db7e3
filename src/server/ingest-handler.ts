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
 * Back-pressure: an already saturated pipeline refuses the whole request (503, nothing
 * submitted); one that fills up while a body is being submitted makes the request wait for it
 * to drain, which slows the client down instead of queueing without bound.
 */
import type { NormalizedMessage, Rejection } from '../normalize/message.js';
import type { NormalizeOutcome } from '../normalize/normalize-outcome.js';
import { createParser } from '../formats/create-parser.js';
import { detectFormat } from '../formats/detect-format.js';
import type { InputFormat } from '../formats/input-format.js';
import type { RecordParser } from '../formats/record-parser.js';
import type { IngestError, IngestResult } from './http-server.js';
import { createReceiptClock } from '../pipeline/receipt-clock.js';
import { IngestOverloadedError } from './ingest-overloaded-error.js';

/** What the handler needs of the pipeline (Pipeline satisfies it). */
export interface IngestTarget {
  submit(msg: NormalizedMessage, startMs: number): void;
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
}

export interface IngestHandlerResult extends IngestResult {
  /** Records that were valid but carry nothing aisctl tracks (base stations, AtoN, other types). */
  readonly ignored: number;
  /** Formats the body was read as. */
  readonly formats: InputFormat[];
}

export type IngestHandler = (body: string, contentType: string) => Promise<IngestHandlerResult>;

/** Lines looked at to recognise a text body's format, as for files. */
const DETECT_LINES = 50;

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

export function createIngestHandler(opts: IngestHandlerOptions): IngestHandler {
  const maxErrors = opts.maxErrors ?? 1000;
  // Time-less NMEA lines of one body (and of consecutive bodies) each get a distinct receipt time.
  const receipt = createReceiptClock(opts.nowMs);

  return async function ingest(body: string, contentType: string): Promise<IngestHandlerResult> {
    if (opts.pipeline.saturated) throw new IngestOverloadedError('pipeline overloaded', 1);
    const nowMs = opts.nowMs();
    const startMs = opts.clockMs();
    const messages: NormalizedMessage[] = [];
    const errors: IngestError[] = [];
    let rejected = 0;
    let ignored = 0;
    const formats = new Set<InputFormat>();
    const parsers = new Map<InputFormat, RecordParser>();

    const reject = (r: Rejection): void => {
      rejected++;
      opts.metrics?.rejections.inc({ reason: r.reason });
      if (errors.length < maxErrors) errors.push({ line: r.origin.line, reason: r.reason, detail: r.detail });
    };
    const emit = (o: NormalizeOutcome): void => {
      for (const m of o.messages) messages.push(m);
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
    const feedLines = (format: InputFormat, lines: readonly string[]): void => {
      const parser = parserFor(format);
      for (let i = 0; i < lines.length; i++) parser.parseLine(lines[i] ?? '', i + 1, receipt(), emit);
    };

    if (contentType === 'application/json') {
      readJsonDocument(body, nowMs, parserFor, feedLines, reject, emit);
    } else if (contentType === 'application/x-ndjson') {
      const lines = splitLines(body);
      const detected = detectTextFormat(lines);
      feedLines(detected === 'aisstream' || detected === 'aishub' ? detected : 'jsonl', lines);
    } else {
      const lines = splitLines(body);
      feedLines(detectTextFormat(lines), lines);
    }
    for (const p of parsers.values()) p.finish(nowMs, emit);

    if (rejected > 0) opts.metrics?.messages.inc({ outcome: 'rejected' }, rejected);
    if (ignored > 0) opts.metrics?.messages.inc({ outcome: 'ignored' }, ignored);

    for (const m of messages) {
      if (opts.pipeline.saturated) await opts.pipeline.drained();
      opts.pipeline.submit(m, startMs);
    }
    return { accepted: messages.length, rejected, errors, ignored, formats: [...formats] };
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
    reject({ reason: 'malformed_record', detail: `invalid JSON: ${(err as Error).message}`, origin: { file: ORIGIN_FILE, line: 1 } });
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
      reject({ reason: 'malformed_record', detail: `expected a JSON object, got ${rec === null ? 'null' : Array.isArray(rec) ? 'an array' : typeof rec}`, origin: { file: ORIGIN_FILE, line } });
      return;
    }
    parserFor(jsonRecordFormat(rec)).parseLine(JSON.stringify(rec), line, nowMs, emit);
  });
}
