/**
 * What the record formats accept as a number, what they do with control characters in text, and
 * that a CSV record with an unterminated quote costs only its own line (issue 8, findings 5, 6, 9).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NormalizeOutcome } from '../normalize/normalize-outcome.js';
import type { NormalizedMessage, Rejection } from '../normalize/message.js';
import { createParser } from './create-parser.js';
import type { InputFormat } from './input-format.js';
import { readMessages } from './read-messages.js';
import { countOutcome, createReaderStats } from './reader-stats.js';

const NOW = Date.UTC(2024, 0, 2);

function parse(format: InputFormat, lines: string[]) {
  const parser = createParser(format, { file: 'in', maxFutureMs: 300_000 });
  const outcomes: NormalizeOutcome[] = [];
  const emit = (o: NormalizeOutcome): void => {
    outcomes.push(o);
  };
  lines.forEach((l, i) => parser.parseLine(l, i + 1, NOW, emit));
  parser.finish(NOW, emit);
  const stats = createReaderStats();
  for (const o of outcomes) countOutcome(stats, o);
  const rejections = outcomes.flatMap((o) => (o.rejection === null ? [] : [o.rejection]));
  return { messages: outcomes.flatMap((o) => o.messages), rejections, stats };
}

const detail = (r: Rejection | undefined) => (r === undefined ? null : [r.reason, r.detail]);

const jsonlPosition = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: 'position', mmsi: 219063000, ts: NOW - 60_000, lat: 57.1, lon: 8.3, sog: 6.4, cog: 216.9, heading: 217, navStatus: 0, ...over });
const jsonlStatic = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    kind: 'static',
    mmsi: 219063000,
    ts: NOW - 60_000,
    name: 'NORSKAN',
    callsign: 'OXYZ2',
    imo: 9307839,
    shipType: 70,
    destination: 'AARHUS',
    ...over,
  });

describe('numbers in JSON lines', () => {
  it.each([
    [{ lat: '0x1A' }, 'field lat: expected a number, got "0x1A"'],
    [{ sog: '1e2' }, 'field sog: expected a number, got "1e2"'],
    [{ mmsi: '0x0E8D3F81' }, 'field mmsi: expected a number, got "0x0E8D3F81"'],
    [{ cog: ' 12' }, 'field cog: expected a number, got " 12"'],
    [{ lon: 'Infinity' }, 'field lon: expected a number, got "Infinity"'],
    [{ heading: true }, 'field heading: expected a number, got true'],
    [{ sog: [1] }, 'field sog: expected a number, got [1]'],
    [{ cog: { v: 1 } }, 'field cog: expected a number, got {"v":1}'],
    [{ mmsi: 219063000.5 }, 'field mmsi: expected an integer, got 219063000.5'],
    [{ navStatus: 1.5 }, 'field navStatus: expected an integer, got 1.5'],
    [{ msgType: '1.5' }, 'field msgType: expected an integer, got "1.5"'],
  ])('%j is malformed_record naming the field, and stores nothing', (over, why) => {
    const { messages, rejections } = parse('jsonl', [jsonlPosition(over)]);
    expect(messages).toEqual([]);
    expect(rejections.map(detail)).toEqual([['malformed_record', why]]);
  });

  it('refuses fractional IMO and ship type in a static report', () => {
    expect(parse('jsonl', [jsonlStatic({ imo: 9307839.5 })]).rejections.map(detail)).toEqual([
      ['malformed_record', 'field imo: expected an integer, got 9307839.5'],
    ]);
    expect(parse('jsonl', [jsonlStatic({ shipType: '70.5' })]).rejections.map(detail)).toEqual([
      ['malformed_record', 'field shipType: expected an integer, got "70.5"'],
    ]);
  });

  it('still takes plain decimal strings', () => {
    const { messages, rejections } = parse('jsonl', [jsonlPosition({ mmsi: '219063000', lat: '57.1', lon: '-8.3', sog: '6.4' })]);
    expect(rejections).toEqual([]);
    expect(messages[0]).toMatchObject({ mmsi: 219063000, lat: 57.1, lon: -8.3, sog: 6.4 });
  });

  it('heading 359.9 rounds to 360 as stored: out of range, nulled and counted', () => {
    const { messages, stats } = parse('jsonl', [jsonlPosition({ heading: 359.9 }), jsonlPosition({ heading: 359.4 })]);
    expect(messages.map((m) => (m.kind === 'position' ? m.heading : undefined))).toEqual([null, 359]);
    expect(stats.outOfRange).toEqual({ heading: 1 });
  });
});

describe('control characters in JSON lines and aisstream text', () => {
  it('JSONL: NUL and other controls are removed from name, callsign, destination and source, and counted', () => {
    const { messages, rejections, stats } = parse('jsonl', [
      jsonlStatic({ name: 'NOR\u0000SKAN', callsign: 'OXYZ2\u0085', destination: '\u001bAARHUS', source: 'feed\u0000' }),
      jsonlStatic({ name: '\u0000\u0000\u0000' }),
      jsonlPosition({ source: 'a\u0007b' }),
    ]);
    expect(rejections).toEqual([]);
    expect(messages[0]).toMatchObject({ name: 'NORSKAN', callsign: 'OXYZ2', destination: 'AARHUS', source: 'feed' });
    expect(messages[1]).toMatchObject({ name: null });
    expect(messages[2]).toMatchObject({ source: 'ab' });
    expect(stats.outOfRange).toEqual({
      'text_control_chars:name': 2,
      'text_control_chars:callsign': 1,
      'text_control_chars:destination': 1,
      'text_control_chars:source': 2,
    });
    expect(JSON.stringify(messages)).not.toMatch(/\\u00(0|1|8|9)/);
  });

  const shipStatic = (body: Record<string, unknown>) =>
    JSON.stringify({
      MessageType: 'ShipStaticData',
      Message: {
        ShipStaticData: { UserID: 219063000, Valid: true, ImoNumber: 9307839, Type: 70, CallSign: 'OXYZ2', Destination: 'AARHUS', Name: 'NORSKAN', ...body },
      },
      MetaData: { MMSI: 219063000, time_utc: '2024-01-01 23:00:00.0 +0000 UTC' },
    });

  it('aisstream: ShipStaticData text is cleaned the same way', () => {
    const { messages, rejections, stats } = parse('aisstream', [shipStatic({ Name: 'NOR\u0000SKAN@@@', CallSign: '\u0000', Destination: 'AAR\tHUS' })]);
    expect(rejections).toEqual([]);
    expect(messages[0]).toMatchObject({ kind: 'static', name: 'NORSKAN', callsign: null, destination: 'AARHUS' });
    expect(stats.outOfRange).toEqual({ 'text_control_chars:name': 1, 'text_control_chars:callsign': 1, 'text_control_chars:destination': 1 });
  });

  it('aisstream: numbers follow the JSON rule too', () => {
    expect(parse('aisstream', [shipStatic({ ImoNumber: '0x8E0A9F' })]).rejections.map(detail)).toEqual([
      ['malformed_record', 'field ImoNumber: expected a number, got "0x8E0A9F"'],
    ]);
    expect(parse('aisstream', [shipStatic({ UserID: '0x0E8D3F81' })]).rejections.map(detail)).toEqual([
      ['malformed_record', 'field UserID: expected a number, got "0x0E8D3F81"'],
    ]);
    expect(parse('aisstream', [shipStatic({ Type: 70.5 })]).rejections.map(detail)).toEqual([
      ['malformed_record', 'field Type: expected an integer, got 70.5'],
    ]);
  });
});

describe('numbers in AISHub records', () => {
  const rec = (over: Record<string, unknown>) =>
    JSON.stringify({
      MMSI: 244750034,
      TIME: '2023-06-01 10:00:00 GMT',
      LONGITUDE: 5.03807,
      LATITUDE: 52.46028,
      COG: 360,
      SOG: 0,
      HEADING: 511,
      NAVSTAT: 8,
      ...over,
    });

  it('refuses hex, exponents and fractions in integer fields', () => {
    expect(parse('aishub', [rec({ LATITUDE: '0x1A' })]).rejections.map(detail)).toEqual([
      ['malformed_record', 'field LATITUDE: expected a number, got "0x1A"'],
    ]);
    expect(parse('aishub', [rec({ SOG: '1e2' })]).rejections.map(detail)).toEqual([['malformed_record', 'field SOG: expected a number, got "1e2"']]);
    expect(parse('aishub', [rec({ NAVSTAT: 8.5 })]).rejections.map(detail)).toEqual([['malformed_record', 'field NAVSTAT: expected an integer, got 8.5']]);
  });

  it('takes quoted plain numbers', () => {
    const { messages, rejections } = parse('aishub', [rec({ MMSI: '244750034', LATITUDE: '52.46028', SOG: '1.5' })]);
    expect(rejections).toEqual([]);
    expect(messages[0]).toMatchObject({ mmsi: 244750034, lat: 52.46028, sog: 1.5 });
  });
});

const NOAA_HEADER = 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass';
const noaaRow = (i: number, over: Partial<Record<'lat' | 'heading' | 'name' | 'imo' | 'mmsi', string>> = {}) =>
  `${over.mmsi ?? 219063000 + i},2023-06-01T00:00:00,${over.lat ?? '55.5'},10.5,1.0,2.0,${over.heading ?? '3.0'},${over.name ?? ''},${over.imo ?? ''},,,0.0,,,,,A`;

describe('NOAA MarineCadastre CSV', () => {
  it('refuses a hex LAT instead of storing 26', () => {
    const { messages, rejections } = parse('noaa-csv', [NOAA_HEADER, noaaRow(1, { lat: '0x1A' })]);
    expect(messages).toEqual([]);
    expect(rejections.map(detail)).toEqual([['malformed_record', 'field LAT: not a number: "0x1A"']]);
  });

  it('refuses fractional MMSIs and text that is not an IMO number', () => {
    expect(parse('noaa-csv', [NOAA_HEADER, noaaRow(1, { mmsi: '219063000.5' })]).rejections.map(detail)).toEqual([
      ['malformed_record', 'field MMSI: not an integer: "219063000.5"'],
    ]);
    expect(parse('noaa-csv', [NOAA_HEADER, noaaRow(1, { imo: 'IMO93O7839' })]).rejections.map(detail)).toEqual([
      ['malformed_record', 'field IMO: not an IMO number: "IMO93O7839"'],
    ]);
  });

  it('rounds heading to whole degrees before the range check', () => {
    const { messages, stats } = parse('noaa-csv', [NOAA_HEADER, noaaRow(1, { heading: '359.9' }), noaaRow(2, { heading: '95.0' })]);
    expect(messages.map((m) => (m.kind === 'position' ? m.heading : undefined))).toEqual([null, 95]);
    expect(stats.outOfRange).toEqual({ heading: 1 });
  });
});

describe('one CSV record per line (NOAA, DMA)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aisctl-record-validation-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function read(name: string, content: string) {
    const path = join(dir, name);
    writeFileSync(path, content);
    const rejections: Rejection[] = [];
    const reader = readMessages(path, { nowMs: () => NOW, maxFutureMs: 300_000, onRejection: (r) => rejections.push(r) });
    const messages: NormalizedMessage[] = [];
    for await (const b of reader) messages.push(...b);
    return { messages, rejections, stats: reader.stats, path };
  }

  it('NOAA: an unterminated quote in row 5 of 60 costs that row only', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => noaaRow(i + 1, i === 4 ? { name: '"SAN JOSE, CA' } : {}));
    const { messages, rejections, stats, path } = await read('open-quote.csv', `${[NOAA_HEADER, ...rows].join('\n')}\n`);
    expect(stats.lines).toBe(61);
    expect(stats.records).toBe(60);
    expect(stats.rejectedTotal).toBe(1);
    expect(stats.messages).toBe(59);
    expect(stats.records).toBe(stats.messages + stats.rejectedTotal + stats.ignoredTotal);
    expect(rejections.map((r) => [r.origin.file, r.origin.line, r.reason, r.detail])).toEqual([
      [path, 6, 'malformed_record', 'unterminated quote (a record is one line in this format)'],
    ]);
    expect(messages.map((m) => m.origin.line)).toEqual(Array.from({ length: 61 }, (_, i) => i + 1).filter((l) => l > 1 && l !== 6));
  });

  it('DMA: the same, and numbers follow the plain decimal rule (with decimal commas)', async () => {
    const header =
      '# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D';
    const row = (mmsi: number, lat: string, name = '', imo = 'Unknown') =>
      `01/01/2024 00:00:00,Class A,${mmsi},${lat},8.33121,Under way using engine,0.0,6.4,216.9,217,${imo},,${name},Undefined,,,,Undefined,,,,AIS,,,,`;
    const { messages, rejections, stats } = await read(
      'aisdk.csv',
      [
        header,
        row(219063001, '57.1152'),
        row(219063002, '57.1152', '"OPEN QUOTE'),
        row(219063003, '"57,1152"'),
        row(219063004, '0x1A'),
        row(219063005, '57.1152', '', 'IMO9307839'),
      ].join('\n'),
    );
    expect(stats.records).toBe(5);
    expect(messages.map((m) => [m.mmsi, m.kind === 'position' ? m.lat : null])).toEqual([
      [219063001, 57.1152],
      [219063003, 57.1152],
    ]);
    expect(rejections.map((r) => [r.origin.line, r.reason, r.detail])).toEqual([
      [3, 'malformed_record', 'unterminated quote (a record is one line in this format)'],
      [5, 'malformed_record', 'field Latitude: not a number: "0x1A"'],
      [6, 'malformed_record', 'field IMO: not a number: "IMO9307839"'],
    ]);
  });
});

describe('deeply nested JSON in a line', () => {
  it('is malformed_record for that line only; the rest of the file is read (it used to stop the file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aisctl-deep-'));
    try {
      const d = 10_500;
      const deep = `{"kind":"position","mmsi":${'{"a":'.repeat(d)}1${'}'.repeat(d)},"ts":${NOW - 60_000},"lat":1,"lon":1}`;
      expect(deep.length).toBeLessThan(65_536);
      const file = join(dir, 'deep.jsonl');
      writeFileSync(file, [jsonlPosition(), deep, jsonlPosition({ mmsi: 219063001 })].join('\n'));
      const rejections: Rejection[] = [];
      const messages: NormalizedMessage[] = [];
      const reader = readMessages(file, { format: 'jsonl', nowMs: () => NOW, maxFutureMs: 300_000, onRejection: (r) => rejections.push(r) });
      for await (const batch of reader) messages.push(...batch);
      expect(messages.map((m) => m.mmsi)).toEqual([219063000, 219063001]);
      expect(rejections.map((r) => [r.origin.line, r.reason, r.detail])).toEqual([[2, 'malformed_record', 'invalid JSON: nested deeper than 64 levels']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('times beyond the Date range', () => {
  it('are bad_time for that record, and the reading goes on', () => {
    const { messages, rejections } = parse('jsonl', [jsonlPosition({ ts: 1e16 }), jsonlPosition()]);
    expect(rejections.map((r) => r.reason)).toEqual(['bad_time']);
    expect(messages).toHaveLength(1);
  });
});

describe('AISHub documents', () => {
  it('are parsed once, when their brackets close, not again on every line starting with ]', () => {
    // Each `]x` line once made the reader re-parse everything buffered (20,000 lines: 2.9 s).
    const lines = ['[', ...Array.from({ length: 20_000 }, () => ']x')];
    const { rejections } = parse('aishub', lines);
    expect(rejections[0]).toMatchObject({ reason: 'malformed_record', origin: { line: 1 } });
    expect(rejections[0]?.detail).toMatch(/^invalid JSON document/);
    // The document ended at line 2; every later line is judged on its own.
    expect(rejections).toHaveLength(20_000);
  });

  it('a pretty-printed document with brackets inside strings still reads whole', () => {
    const doc = [
      '[{"ERROR":false,"FORMAT":"HUMAN"},',
      '[',
      '{"MMSI":232122502,"TIME":"2024-01-01 23:59:00 GMT","LONGITUDE":4.1,"LATITUDE":52.1,"NAME":"A]B[C"}',
      ']',
      ']',
    ];
    const { messages, rejections } = parse('aishub', doc);
    expect(rejections).toEqual([]);
    expect(messages.length).toBeGreaterThan(0);
  });
});
