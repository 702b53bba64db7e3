import { describe, expect, it } from 'vitest';
import { buildPosition, buildStatic, combineRecord, type PositionCandidate, type StaticCandidate } from './report-builder.js';

const NOW = Date.UTC(2024, 0, 1);
const ctx = { nowMs: NOW, maxFutureMs: 300_000 };
const origin = { file: 'f.csv', line: 7 };
const pos = (over: Partial<PositionCandidate> = {}): PositionCandidate => ({
  mmsi: 219063000,
  ts: NOW - 1000,
  lat: 57.1,
  lon: 8.3,
  sog: 6.4,
  cog: 216.9,
  heading: 217,
  navStatus: 0,
  msgType: 1,
  source: 's',
  ...over,
});
const stat = (over: Partial<StaticCandidate> = {}): StaticCandidate => ({
  mmsi: 219063000,
  ts: NOW - 1000,
  name: 'NAME@@@@  ',
  callsign: 'OXYZ2',
  imo: 9307839,
  shipType: 70,
  toBow: 100,
  toStern: 20,
  toPort: 10,
  toStarboard: 12,
  draught: 8.5,
  destination: 'AARHUS',
  msgType: 5,
  source: 's',
  ...over,
});

describe('buildPosition', () => {
  it('accepts a good report and keeps origin', () => {
    const o = buildPosition(pos(), origin, ctx);
    expect(o.rejection).toBeNull();
    expect(o.messages).toEqual([
      {
        kind: 'position',
        mmsi: 219063000,
        ts: NOW - 1000,
        lat: 57.1,
        lon: 8.3,
        sog: 6.4,
        cog: 216.9,
        heading: 217,
        navStatus: 0,
        source: 's',
        msgType: 1,
        origin,
      },
    ]);
  });

  it.each([
    [{ lat: 91 }, 'position_not_available'],
    [{ lon: 181 }, 'position_not_available'],
    [{ lat: null }, 'position_not_available'],
    [{ lon: null }, 'position_not_available'],
    [{ lat: 90.0001 }, 'position_out_of_range'],
    [{ lat: -90.5 }, 'position_out_of_range'],
    [{ lon: 180.01 }, 'position_out_of_range'],
    [{ lon: -181 }, 'position_out_of_range'],
    [{ mmsi: 123456789 }, 'bad_mmsi'],
    [{ ts: Number.NaN }, 'bad_time'],
    [{ ts: Date.UTC(1989, 11, 31, 23, 59, 59) }, 'time_before_1990'],
    [{ ts: NOW + 300_001 }, 'time_in_future'],
  ] as const)('%o -> %s with origin', (over, reason) => {
    const o = buildPosition(pos(over), origin, ctx);
    expect(o.messages).toEqual([]);
    expect(o.rejection?.reason).toBe(reason);
    expect(o.rejection?.origin).toEqual(origin);
    expect(o.rejection?.detail.length).toBeGreaterThan(5);
  });

  it('keeps the range edges', () => {
    for (const [lat, lon] of [
      [90, 180],
      [-90, -180],
      [0, 0],
    ] as const) {
      expect(buildPosition(pos({ lat, lon }), origin, ctx).rejection).toBeNull();
    }
  });

  it('nulls AIS sentinels without counting them', () => {
    const o = buildPosition(pos({ sog: 102.3, cog: 360, heading: 511, navStatus: 15 }), origin, ctx);
    expect(o.messages[0]).toMatchObject({ sog: null, cog: null, heading: null, navStatus: null });
    expect(o.outOfRange).toEqual([]);
  });

  it('nulls and counts out-of-range kinematics without rejecting', () => {
    const o = buildPosition(pos({ sog: -1, cog: 400, heading: 360, navStatus: 16 }), origin, ctx);
    expect(o.rejection).toBeNull();
    expect(o.messages[0]).toMatchObject({ sog: null, cog: null, heading: null, navStatus: null });
    expect(o.outOfRange).toEqual(['sog', 'cog', 'heading', 'navStatus']);
    expect(buildPosition(pos({ sog: 102.2, cog: 359.9, heading: 359 }), origin, ctx).outOfRange).toEqual([]);
    expect(buildPosition(pos({ sog: 150 }), origin, ctx).outOfRange).toEqual(['sog']);
  });

  it('checks ranges on the value as stored: heading in whole degrees, SOG and COG as 4-byte reals', () => {
    const o = buildPosition(pos({ heading: 359.9, cog: 359.99999 }), origin, ctx);
    expect(o.messages[0]).toMatchObject({ heading: null, cog: null });
    expect(o.outOfRange).toEqual(['cog', 'heading']);
    const kept = buildPosition(pos({ heading: 359.4, cog: 359.9999 }), origin, ctx);
    expect(kept.messages[0]).toMatchObject({ heading: 359, cog: 359.9999 });
    expect(kept.outOfRange).toEqual([]);
    const nearZero = buildPosition(pos({ heading: -0.4 }), origin, ctx).messages[0];
    expect(Object.is(nearZero?.kind === 'position' ? nearZero.heading : undefined, 0)).toBe(true);
    expect(buildPosition(pos({ heading: -0.6 }), origin, ctx).outOfRange).toEqual(['heading']);
  });

  it('removes control characters from the source and counts them', () => {
    const o = buildPosition(pos({ source: 'st\u0000at\u0085ion\n' }), origin, ctx);
    expect(o.messages[0]).toMatchObject({ source: 'station' });
    expect(o.outOfRange).toEqual(['text_control_chars:source']);
  });

  it('allows SAR aircraft speeds up to 1022 kn', () => {
    const o = buildPosition(pos({ mmsi: 111219001, msgType: 9, sog: 250 }), origin, ctx);
    expect(o.messages[0]).toMatchObject({ sog: 250 });
    expect(buildPosition(pos({ mmsi: 111219001, msgType: 9, sog: 1023 }), origin, ctx).messages[0]).toMatchObject({ sog: null });
  });

  it('ignores non-vessel identities instead of rejecting them', () => {
    const aton = buildPosition(pos({ mmsi: 992191234 }), origin, ctx);
    expect(aton).toMatchObject({ ignored: true, ignoredKind: 'mmsi:aton', rejection: null, messages: [] });
    expect(buildPosition(pos({ mmsi: 2190064 }), origin, ctx).ignoredKind).toBe('mmsi:coast_station');
    expect(buildPosition(pos({ mmsi: 970123456 }), origin, ctx).messages).toHaveLength(1);
  });
});

describe('buildStatic', () => {
  it('cleans text, 0-as-unknown and ranges', () => {
    const o = buildStatic(stat(), origin, ctx);
    expect(o.messages[0]).toMatchObject({ kind: 'static', name: 'NAME', imo: 9307839, shipType: 70, toBow: 100, draught: 8.5 });
    const z = buildStatic(stat({ name: '@@@@', imo: 0, shipType: 0, toBow: 0, draught: 0, destination: '   ' }), origin, ctx);
    expect(z.messages[0]).toMatchObject({ name: null, imo: null, shipType: null, toBow: null, draught: null, destination: null });
    const bad = buildStatic(stat({ imo: 123, shipType: 150, toPort: 64, draught: 30 }), origin, ctx);
    expect(bad.outOfRange).toEqual(['imo', 'shipType', 'dimension', 'draught']);
  });

  it('keeps A/B/C/D in whole metres, rounding before the range check', () => {
    const o = buildStatic(stat({ toBow: 100.4, toStern: 20.6, toPort: 63.4, toStarboard: 63.5 }), origin, ctx);
    expect(o.messages[0]).toMatchObject({ toBow: 100, toStern: 21, toPort: 63, toStarboard: null });
    expect(o.outOfRange).toEqual(['dimension']);
    // Rounded to 0 is the AIS "not available", as a 0 in the input is.
    expect(buildStatic(stat({ toBow: 0.3 }), origin, ctx).messages[0]).toMatchObject({ toBow: null });
    // Overall length and width are not stored as integers and keep their fraction.
    expect(buildStatic(stat({ length: 120.5, width: 22.25 }), origin, ctx).messages[0]).toMatchObject({ length: 120.5, width: 22.25 });
  });

  it('removes NUL and other C0/C1 control characters from text and counts each field', () => {
    const o = buildStatic(stat({ name: 'NOR\u0000SKAN', callsign: '\u001bOXYZ2\u007f', destination: 'AAR\u0009HUS\u009f', source: 'd\u0000ma' }), origin, ctx);
    expect(o.messages[0]).toMatchObject({ name: 'NORSKAN', callsign: 'OXYZ2', destination: 'AARHUS', source: 'dma' });
    expect(o.outOfRange).toEqual(['text_control_chars:name', 'text_control_chars:callsign', 'text_control_chars:destination', 'text_control_chars:source']);
  });

  it('makes a text that is nothing but control characters (and padding) null', () => {
    const o = buildStatic(stat({ name: '\u0000\u0000', destination: '\r\n@@@' }), origin, ctx);
    expect(o.messages[0]).toMatchObject({ name: null, destination: null });
    expect(o.outOfRange).toEqual(['text_control_chars:name', 'text_control_chars:destination']);
    // Printable non-ASCII text is not a control character.
    const kept = buildStatic(stat({ name: 'ÆRØ FÆRGEN' }), origin, ctx);
    expect(kept.messages[0]).toMatchObject({ name: 'ÆRØ FÆRGEN' });
    expect(kept.outOfRange).toEqual([]);
  });

  it('combineRecord drops empty statics and reports one rejection', () => {
    const p = buildPosition(pos(), origin, ctx);
    const empty = buildStatic(
      stat({
        name: null,
        callsign: null,
        imo: null,
        shipType: null,
        toBow: null,
        toStern: null,
        toPort: null,
        toStarboard: null,
        draught: null,
        destination: null,
      }),
      origin,
      ctx,
    );
    expect(combineRecord(p, empty).messages).toHaveLength(1);
    const both = combineRecord(buildPosition(pos({ mmsi: 1 }), origin, ctx), buildStatic(stat({ mmsi: 1 }), origin, ctx));
    expect(both.rejection?.reason).toBe('bad_mmsi');
    const half = combineRecord(buildPosition(pos({ lat: 91 }), origin, ctx), buildStatic(stat(), origin, ctx));
    expect(half.rejection?.reason).toBe('position_not_available');
    expect(half.messages.map((m) => m.kind)).toEqual(['static']);
  });
});
