/**
 * Bad input never throws out of a parser: random lines, mangled real lines and random JSON all
 * end as messages, rejections (with file and line) or ignored records.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INPUT_FORMATS, type InputFormat } from './input-format.js';
import { createParser } from './create-parser.js';
import type { NormalizeOutcome } from '../normalize/normalize-outcome.js';

const NOW = Date.UTC(2026, 0, 1);

const HEADERS: Record<InputFormat, string | null> = {
  nmea: null,
  jsonl: null,
  aisstream: null,
  aishub: null,
  'noaa-csv': 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass',
  'dma-csv':
    '# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D',
};

const SEEDS: Record<InputFormat, string> = {
  nmea: '\\s:41925,c:1635731889,t:1635731965*66\\!AIVDM,1,1,,,15Di=4002i<chWiba2`rPpD:04;`,0*37',
  jsonl: '{"kind":"position","mmsi":219063000,"ts":"2023-01-01T00:00:00Z","lat":57.1,"lon":8.3,"sog":1,"cog":2,"heading":3,"navStatus":0}',
  aisstream:
    '{"Message":{"PositionReport":{"Cog":217.3,"Latitude":13.35,"Longitude":100.6,"MessageID":3,"NavigationalStatus":1,"Sog":0,"TrueHeading":338,"UserID":538010505,"Valid":true}},"MessageType":"PositionReport","MetaData":{"MMSI":538010505,"time_utc":"2024-09-17 14:38:55.281038479 +0000 UTC"}}',
  aishub: '{"MMSI":244750034,"TIME":"1625826523","LONGITUDE":3022815,"LATITUDE":31476144,"COG":3600,"SOG":0,"HEADING":511,"NAVSTAT":8,"NAME":"X","A":1}',
  'noaa-csv': '636021061,2023-01-11T00:00:00,26.09241,-80.04806,8.8,272.7,270.0,"MSC, NAISHA",IMO9307839,5LCB4,70,8.0,208.0,30.0,8.0,70.0,A',
  'dma-csv': '15/02/2023 00:00:00,Class A,219063000,57.1152,8.33121,Under way using engine,0.0,6.4,216.9,217,Unknown,,,Undefined,,,,Undefined,,,,AIS,,,,',
};

/** Random edits of a valid line: deletions, insertions of structural characters, truncation. */
function mangled(seed: string): fc.Arbitrary<string> {
  const structural = fc.constantFrom(',', '"', '{', '}', '[', ']', ':', '\\', '*', '!', '\r', 'null', '-1e400', 'NaN', '\u0000', '😀');
  return fc
    .array(fc.tuple(fc.nat(seed.length), fc.nat(3), fc.option(structural, { nil: '' })), { maxLength: 6 })
    .map((edits) => edits.reduce((s, [at, del, ins]) => s.slice(0, at) + ins + s.slice(at + del), seed));
}

const jsonish = fc.jsonValue().map((v) => JSON.stringify(v));

function run(format: InputFormat, lines: string[]): NormalizeOutcome[] {
  const parser = createParser(format, { file: 'prop', maxFutureMs: 300_000 });
  const out: NormalizeOutcome[] = [];
  const emit = (o: NormalizeOutcome): void => {
    out.push(o);
  };
  const header = HEADERS[format];
  if (header !== null) parser.parseLine(header, 1, NOW, emit);
  lines.forEach((l, i) => parser.parseLine(l, i + 2, NOW, emit));
  parser.finish(NOW, emit);
  return out;
}

describe.each(INPUT_FORMATS.map((f) => [f]))('%s parser on random input', (format) => {
  it('never throws; every rejection names file and line', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), mangled(SEEDS[format]), jsonish), { maxLength: 8 }), (lines) => {
        for (const o of run(format, lines)) {
          if (o.rejection !== null) {
            expect(o.rejection.origin.file).toBe('prop');
            expect(o.rejection.origin.line).toBeGreaterThanOrEqual(1);
            expect(o.rejection.detail.length).toBeGreaterThan(0);
          }
          for (const m of o.messages) {
            expect(Number.isFinite(m.ts)).toBe(true);
            if (m.kind === 'position') expect(Math.abs(m.lat) <= 90 && Math.abs(m.lon) <= 180).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads its own seed line', () => {
    const out = run(format, [SEEDS[format]]);
    expect(out.flatMap((o) => o.messages).length).toBeGreaterThan(0);
  });
});
