/**
 * AISHub web-service JSON. The service answers with one document
 * `[{"ERROR":false,"FORMAT":"AIS"|"HUMAN",...},[{record},...]]` (on one line or pretty-printed);
 * saved feeds also come as one record object per line. FORMAT "AIS" (format=0) carries raw AIS
 * units (lat/lon x 600000, SOG/COG x 10, draught x 10, TIME in epoch seconds); "HUMAN" (format=1)
 * carries degrees, knots, metres and `YYYY-MM-DD HH:MM:SS GMT`. Records without a header are
 * told apart by TIME: a number means format 0.
 */
import type { Origin } from '../normalize/message.js';
import { buildPosition, buildStatic, combineRecord } from '../normalize/report-builder.js';
import { rejectedOutcome, type NormalizeOutcome } from '../normalize/normalize-outcome.js';
import { parseTimeValue } from '../normalize/time.js';
import { FieldProblems, isJsonObject, jsonInteger, jsonNumber, jsonString, parseJson, parseJsonObject, type JsonObject } from './field-reader.js';
import type { OutcomeSink, ParserOptions, RecordParser } from './record-parser.js';

type AishubUnits = 'raw' | 'human';

function scaled(v: number | null, raw: boolean, factor: number): number | null {
  return v === null || !raw ? v : v / factor;
}

/** A pretty-printed document is buffered until it closes; AISHub answers are a few MB at most. */
const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;

export class AishubParser implements RecordParser {
  private buffer: string[] | null = null;
  private bufferChars = 0;
  private bufferStart = 0;
  /**
   * Arrays and objects open in the buffered document. The document is parsed once, when this
   * returns to 0: parsing on every line that starts with `]` re-read the whole buffer each time,
   * and 20,000 such lines (60 KB) blocked the reader for 2.9 s.
   */
  private depth = 0;

  constructor(private readonly opts: ParserOptions) {}

  parseLine(line: string, lineNo: number, nowMs: number, emit: OutcomeSink): void {
    if (this.buffer !== null) {
      this.buffer.push(line);
      this.bufferChars += line.length + 1;
      this.depth += nestingChange(line);
      if (this.depth <= 0) this.tryDocument(true, nowMs, emit);
      else if (this.bufferChars > MAX_DOCUMENT_CHARS) this.failDocument(`JSON document over ${MAX_DOCUMENT_CHARS} characters`, emit);
      return;
    }
    const text = line.trim();
    if (text === '' || text === ',') return;
    const origin: Origin = { file: this.opts.file, line: lineNo };
    // One record per line, tolerating the separators left by splitting an array into lines.
    const objText = text.endsWith(',') ? text.slice(0, -1) : text;
    if (objText.startsWith('{')) {
      const parsed = parseJsonObject(objText, 'expected a JSON object');
      if (!parsed.ok) {
        emit(rejectedOutcome({ reason: 'malformed_record', detail: parsed.detail, origin }));
        return;
      }
      emit(this.parseRecord(parsed.value, null, origin, nowMs, null));
      return;
    }
    if (text.startsWith('[')) {
      this.buffer = [line];
      this.bufferChars = line.length;
      this.bufferStart = lineNo;
      this.depth = nestingChange(line);
      if (this.depth <= 0) this.tryDocument(true, nowMs, emit);
      return;
    }
    emit(rejectedOutcome({ reason: 'malformed_record', detail: 'expected an AISHub JSON document or record', origin }));
  }

  finish(nowMs: number, emit: OutcomeSink): void {
    if (this.buffer !== null) this.tryDocument(true, nowMs, emit);
  }

  private failDocument(detail: string, emit: OutcomeSink): void {
    this.depth = 0;
    emit(rejectedOutcome({ reason: 'malformed_record', detail, origin: { file: this.opts.file, line: this.bufferStart } }));
    this.buffer = null;
    this.bufferChars = 0;
  }

  private tryDocument(final: boolean, nowMs: number, emit: OutcomeSink): void {
    const parsed = parseJson((this.buffer ?? []).join('\n'));
    if (!parsed.ok) {
      if (final) this.failDocument(`invalid JSON document: ${parsed.error}`, emit);
      return;
    }
    const origin: Origin = { file: this.opts.file, line: this.bufferStart };
    this.buffer = null;
    this.bufferChars = 0;
    this.depth = 0;
    this.parseDocument(parsed.value, origin, nowMs, emit);
  }

  private parseDocument(doc: unknown, origin: Origin, nowMs: number, emit: OutcomeSink): void {
    if (!Array.isArray(doc)) {
      emit(rejectedOutcome({ reason: 'malformed_record', detail: 'expected a JSON array', origin }));
      return;
    }
    let units: AishubUnits | null = null;
    let records: unknown[] = doc;
    const head: unknown = doc[0];
    if (isJsonObject(head) && ('ERROR' in head || 'FORMAT' in head)) {
      if (head['ERROR'] === true) {
        const why = typeof head['ERROR_MESSAGE'] === 'string' ? head['ERROR_MESSAGE'] : 'no message';
        emit(rejectedOutcome({ reason: 'malformed_record', detail: `AISHub answered with an error: ${why}`, origin }));
        return;
      }
      units = head['FORMAT'] === 'AIS' ? 'raw' : head['FORMAT'] === 'HUMAN' ? 'human' : null;
      const body: unknown = doc[1];
      records = Array.isArray(body) ? body : [];
    }
    records.forEach((rec, i) => {
      if (!isJsonObject(rec)) {
        emit(rejectedOutcome({ reason: 'malformed_record', detail: `record ${i + 1}: expected a JSON object`, origin }));
        return;
      }
      emit(this.parseRecord(rec, units, origin, nowMs, i + 1));
    });
  }

  private parseRecord(r: JsonObject, known: AishubUnits | null, origin: Origin, nowMs: number, index: number | null): NormalizeOutcome {
    const p = new FieldProblems();
    const time = r['TIME'];
    const units: AishubUnits = known ?? (typeof time === 'number' || (typeof time === 'string' && /^\s*\d+\s*$/.test(time)) ? 'raw' : 'human');
    const mmsi = jsonInteger(r, 'MMSI', p, true);
    if (time === undefined || time === null) p.missing('TIME');
    const ts = parseTimeValue(time);
    const rawLat = jsonNumber(r, 'LATITUDE', p, true);
    const rawLon = jsonNumber(r, 'LONGITUDE', p, true);
    const rawSog = jsonNumber(r, 'SOG', p);
    const rawCog = jsonNumber(r, 'COG', p);
    const heading = jsonNumber(r, 'HEADING', p);
    const navStatus = jsonInteger(r, 'NAVSTAT', p);
    const rawDraught = jsonNumber(r, 'DRAUGHT', p);
    const name = jsonString(r, 'NAME', p);
    const callsign = jsonString(r, 'CALLSIGN', p);
    const imo = jsonInteger(r, 'IMO', p);
    const shipType = jsonInteger(r, 'TYPE', p);
    const toBow = jsonNumber(r, 'A', p);
    const toStern = jsonNumber(r, 'B', p);
    const toPort = jsonNumber(r, 'C', p);
    const toStarboard = jsonNumber(r, 'D', p);
    const destination = jsonString(r, 'DEST', p);
    const problem = p.toRejection(origin);
    const label = index === null ? '' : `record ${index}: `;
    if (problem !== null) return rejectedOutcome({ ...problem, detail: label + problem.detail });
    if (Number.isNaN(ts)) return rejectedOutcome({ reason: 'bad_time', detail: `${label}TIME ${JSON.stringify(time)} is not a valid time`, origin });
    const raw = units === 'raw';
    const source = this.opts.source ?? 'aishub';
    const ctx = { nowMs, maxFutureMs: this.opts.maxFutureMs };
    const id = mmsi as number;
    // Explicit literals, no spreads: see buildStatic on V8 dictionary objects.
    const pos = buildPosition(
      {
        mmsi: id,
        ts,
        msgType: 0,
        source,
        lat: scaled(rawLat, raw, 600_000),
        lon: scaled(rawLon, raw, 600_000),
        sog: scaled(rawSog, raw, 10),
        cog: scaled(rawCog, raw, 10),
        heading,
        navStatus,
      },
      origin,
      ctx,
    );
    const draught = scaled(rawDraught, raw, 10);
    const st = buildStatic(
      { mmsi: id, ts, msgType: 0, source, name, callsign, imo, shipType, toBow, toStern, toPort, toStarboard, draught, destination },
      origin,
      ctx,
    );
    const out = combineRecord(pos, st);
    return out.rejection === null || label === '' ? out : { ...out, rejection: { ...out.rejection, detail: label + out.rejection.detail } };
  }
}

/** Opened minus closed arrays and objects on one line; brackets inside strings do not count (a JSON string cannot span lines). */
function nestingChange(line: string): number {
  let change = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) change++;
    else if (c === 0x5d || c === 0x7d) change--;
  }
  return change;
}
