/**
 * aisctl's own JSONL: one NormalizedMessage per line, without `origin` (the reader adds file and
 * line). Schema in docs/formats.md. `ts` is epoch milliseconds or an ISO-8601 string.
 */
import type { Origin } from '../normalize/message.js';
import { buildPosition, buildStatic } from '../normalize/report-builder.js';
import { rejectedOutcome } from '../normalize/normalize-outcome.js';
import { parseIsoTime } from '../normalize/time.js';
import { FieldProblems, jsonInteger, jsonNumber, jsonString, parseJsonObject, type JsonObject } from './field-reader.js';
import type { OutcomeSink, ParserOptions, RecordParser } from './record-parser.js';

export function jsonlTime(obj: JsonObject, p: FieldProblems): number {
  const v = obj['ts'];
  if (v === undefined || v === null) {
    p.missing('ts');
    return Number.NaN;
  }
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = v.trim();
    // The schema says milliseconds for numbers; a numeric string is read the same way.
    return /^-?\d+$/.test(t) ? Number(t) : parseIsoTime(t);
  }
  p.malformed('ts', 'expected epoch milliseconds or an ISO-8601 string');
  return Number.NaN;
}

export class JsonlParser implements RecordParser {
  constructor(private readonly opts: ParserOptions) {}

  parseLine(line: string, lineNo: number, nowMs: number, emit: OutcomeSink): void {
    const text = line.trim();
    if (text === '') return;
    const origin: Origin = { file: this.opts.file, line: lineNo };
    const parsed = parseJsonObject(text, 'expected a JSON object per line');
    if (!parsed.ok) {
      emit(rejectedOutcome({ reason: 'malformed_record', detail: parsed.detail, origin }));
      return;
    }
    emit(this.parseObject(parsed.value, origin, nowMs));
  }

  finish(): void {}

  private parseObject(obj: JsonObject, origin: Origin, nowMs: number) {
    const p = new FieldProblems();
    const kind = obj['kind'];
    if (kind !== 'position' && kind !== 'static') {
      if (kind === undefined) p.missing('kind');
      else p.malformed('kind', 'expected "position" or "static"');
    }
    const mmsi = jsonInteger(obj, 'mmsi', p, true);
    const ts = jsonlTime(obj, p);
    const source = this.opts.source ?? jsonString(obj, 'source', p) ?? 'jsonl';
    const msgType = jsonInteger(obj, 'msgType', p) ?? 0;
    const ctx = { nowMs, maxFutureMs: this.opts.maxFutureMs };
    if (kind === 'position') {
      const c = {
        mmsi: mmsi ?? Number.NaN,
        ts,
        lat: jsonNumber(obj, 'lat', p),
        lon: jsonNumber(obj, 'lon', p),
        sog: jsonNumber(obj, 'sog', p),
        cog: jsonNumber(obj, 'cog', p),
        heading: jsonNumber(obj, 'heading', p),
        navStatus: jsonInteger(obj, 'navStatus', p),
        msgType,
        source,
      };
      const rejection = p.toRejection(origin);
      return rejection !== null ? rejectedOutcome(rejection) : buildPosition(c, origin, ctx);
    }
    const c = {
      mmsi: mmsi ?? Number.NaN,
      ts,
      name: jsonString(obj, 'name', p),
      callsign: jsonString(obj, 'callsign', p),
      imo: jsonInteger(obj, 'imo', p),
      shipType: jsonInteger(obj, 'shipType', p),
      toBow: jsonNumber(obj, 'toBow', p),
      toStern: jsonNumber(obj, 'toStern', p),
      toPort: jsonNumber(obj, 'toPort', p),
      toStarboard: jsonNumber(obj, 'toStarboard', p),
      draught: jsonNumber(obj, 'draught', p),
      destination: jsonString(obj, 'destination', p),
      length: jsonNumber(obj, 'length', p),
      width: jsonNumber(obj, 'width', p),
      msgType,
      source,
    };
    const rejection = p.toRejection(origin);
    return rejection !== null ? rejectedOutcome(rejection) : buildStatic(c, origin, ctx);
  }
}
