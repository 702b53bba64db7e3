/**
 * Writers and readers agree: what a writer produces, the matching reader turns back into the
 * same messages (up to what the format can carry, spelled out per format below).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NormalizedMessage, PositionReport, StaticReport } from '../normalize/message.js';
import type { NormalizeOutcome } from '../normalize/normalize-outcome.js';
import { createParser } from './create-parser.js';
import type { InputFormat } from './input-format.js';
import { createWriter } from './writers/create-writer.js';
import { aishubDocument } from './writers/aishub-writer.js';
import type { OutputFormat } from './writers/record-writer.js';
import { dmaShipType, dmaShipTypeText } from './dma-vocabulary.js';

const NOW = Date.UTC(2026, 0, 1);
const SOURCE = 'rt';
const origin = { file: 'rt', line: 0 };

const tenths = (max: number) => fc.integer({ min: 0, max: Math.round(max * 10) }).map((k) => k / 10);
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const text = fc.stringMatching(/^[A-Z0-9][A-Z0-9 ,."'-]{0,18}[A-Z0-9]$/);

const vessel = fc.record({
  mmsi: fc.integer({ min: 201_000_000, max: 775_999_999 }),
  ts: fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: NOW / 1000 }).map((s) => s * 1000),
  lat: fc.integer({ min: -90 * 600_000, max: 90 * 600_000 }).map((k) => k / 600_000),
  lon: fc.integer({ min: -180 * 600_000, max: 180 * 600_000 }).map((k) => k / 600_000),
  sog: nullable(tenths(102.2)),
  cog: nullable(tenths(359.9)),
  heading: nullable(fc.integer({ min: 0, max: 359 })),
  navStatus: nullable(fc.integer({ min: 0, max: 14 })),
  msgType: fc.constantFrom(1, 2, 3, 18),
  name: text,
  callsign: nullable(fc.stringMatching(/^[A-Z0-9]{3,7}$/)),
  imo: nullable(fc.integer({ min: 1_000_000, max: 9_999_999 })),
  // Category-first codes: the ones DMA's text categories give back.
  shipType: nullable(fc.constantFrom(20, 30, 31, 36, 37, 40, 50, 52, 60, 70, 80, 90)),
  toBow: nullable(fc.integer({ min: 1, max: 400 })),
  toStern: nullable(fc.integer({ min: 1, max: 100 })),
  toPort: nullable(fc.integer({ min: 1, max: 63 })),
  toStarboard: nullable(fc.integer({ min: 1, max: 63 })),
  draught: nullable(fc.integer({ min: 1, max: 255 }).map((k) => k / 10)),
  destination: nullable(text),
});
type Vessel = typeof vessel extends fc.Arbitrary<infer T> ? T : never;

function position(v: Vessel): PositionReport {
  return {
    kind: 'position',
    mmsi: v.mmsi,
    ts: v.ts,
    lat: v.lat,
    lon: v.lon,
    sog: v.sog,
    cog: v.cog,
    heading: v.heading,
    navStatus: v.navStatus,
    source: SOURCE,
    msgType: v.msgType,
    origin,
  };
}

function staticReport(v: Vessel): StaticReport {
  return {
    kind: 'static',
    mmsi: v.mmsi,
    ts: v.ts,
    name: v.name,
    callsign: v.callsign,
    imo: v.imo,
    shipType: v.shipType,
    toBow: v.toBow,
    toStern: v.toStern,
    toPort: v.toPort,
    toStarboard: v.toStarboard,
    draught: v.draught,
    destination: v.destination,
    source: SOURCE,
    msgType: 5,
    origin,
  };
}

function parse(format: InputFormat, lines: string[]): NormalizeOutcome[] {
  const parser = createParser(format, { file: 'rt', source: SOURCE, maxFutureMs: 300_000 });
  const out: NormalizeOutcome[] = [];
  lines.forEach((l, i) => parser.parseLine(l, i + 1, NOW, (o) => out.push(o)));
  parser.finish(NOW, (o) => out.push(o));
  return out;
}

function messagesOf(outcomes: NormalizeOutcome[]): NormalizedMessage[] {
  expect(outcomes.filter((o) => o.rejection !== null).map((o) => o.rejection)).toEqual([]);
  return outcomes.flatMap((o) => o.messages).map((m) => ({ ...m, origin }));
}

function linesFor(format: OutputFormat, vessels: Vessel[], separateStatics: boolean): string[] {
  const w = createWriter(format);
  const lines: string[] = [];
  const header = w.header();
  if (header !== null) lines.push(header);
  for (const v of vessels) {
    if (separateStatics) {
      lines.push(w.line(position(v)) as string, w.line(staticReport(v)) as string);
    } else {
      lines.push(w.line(position(v), staticReport(v)) as string);
    }
  }
  return lines;
}

const sum = (a: number | null, b: number | null): number | null => (a !== null && b !== null ? a + b : null);
const rowStatic = (v: Vessel, over: Partial<StaticReport>): StaticReport => ({ ...staticReport(v), msgType: 0, ...over });

const vessels = fc.array(vessel, { minLength: 1, maxLength: 5 });

describe('writer -> reader round trips', () => {
  it('jsonl keeps every field', () => {
    fc.assert(
      fc.property(vessels, (vs) => {
        const got = messagesOf(parse('jsonl', linesFor('jsonl', vs, true)));
        expect(got).toEqual(vs.flatMap((v) => [position(v), staticReport(v)]));
      }),
      { numRuns: 60 },
    );
  });

  it('aisstream keeps kinematics and static data (class B has no navStatus)', () => {
    fc.assert(
      fc.property(vessels, (vs) => {
        const got = messagesOf(parse('aisstream', linesFor('aisstream', vs, true)));
        expect(got).toEqual(vs.flatMap((v) => [{ ...position(v), navStatus: v.msgType === 18 ? null : v.navStatus }, staticReport(v)]));
      }),
      { numRuns: 60 },
    );
  });

  for (const units of [0, 1] as const) {
    it(`aishub format ${units}: records per line and as one document`, () => {
      fc.assert(
        fc.property(vessels, (vs) => {
          const lines = linesFor(`aishub-${units}`, vs, false);
          const expected = vs.flatMap((v) => [{ ...position(v), msgType: 0 }, rowStatic(v, {})]);
          expect(messagesOf(parse('aishub', lines))).toEqual(expected);
          expect(messagesOf(parse('aishub', [aishubDocument(lines, units)]))).toEqual(expected);
        }),
        { numRuns: 60 },
      );
    });
  }

  for (const layout of ['noaa-csv-2023', 'noaa-csv-2024'] as const) {
    it(`${layout}: positions, and statics with length/width instead of A/B/C/D`, () => {
      fc.assert(
        fc.property(vessels, (vs) => {
          const got = messagesOf(parse('noaa-csv', linesFor(layout, vs, false)));
          expect(got).toEqual(
            vs.flatMap((v) => {
              const length = sum(v.toBow, v.toStern);
              const width = sum(v.toPort, v.toStarboard);
              return [
                { ...position(v), msgType: 0 },
                rowStatic(v, {
                  toBow: null,
                  toStern: null,
                  toPort: null,
                  toStarboard: null,
                  destination: null,
                  ...(length === null ? {} : { length }),
                  ...(width === null ? {} : { width }),
                }),
              ];
            }),
          );
        }),
        { numRuns: 60 },
      );
    });
  }

  it('dma-csv keeps A/B/C/D and adds length/width', () => {
    fc.assert(
      fc.property(vessels, (vs) => {
        const got = messagesOf(parse('dma-csv', linesFor('dma-csv', vs, false)));
        expect(got).toEqual(
          vs.flatMap((v) => {
            const length = sum(v.toBow, v.toStern);
            const width = sum(v.toPort, v.toStarboard);
            return [{ ...position(v), msgType: 0 }, rowStatic(v, { ...(length === null ? {} : { length }), ...(width === null ? {} : { width }) })];
          }),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('DMA ship type categories map both ways', () => {
    for (const code of [20, 30, 31, 32, 33, 34, 35, 36, 37, 40, 50, 51, 52, 53, 54, 55, 58, 59, 60, 70, 80, 90]) {
      expect(dmaShipType(dmaShipTypeText(code))).toBe(code);
    }
    expect(dmaShipType('Undefined')).toBeNull();
    expect(dmaShipTypeText(null)).toBe('Undefined');
  });
});
