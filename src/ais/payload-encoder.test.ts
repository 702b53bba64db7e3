import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodePayload, rotToRaw, splitStaticDataReport, vendorIdText, type EncodableMessage } from './payload-encoder.js';
import { decodePayload, isPayloadFailure } from './payload-decoder.js';
import { rateOfTurn } from './messages/field-values.js';
import { SIXBIT_TEXT, trimRightSpaces } from './sixbit.js';
import type { AisMessage, StaticDataReport } from './types.js';

function decode(msg: EncodableMessage): AisMessage {
  const { payload, fillBits } = encodePayload(msg);
  const out = decodePayload(payload, fillBits);
  if (isPayloadFailure(out)) throw new Error(`${out.error}: ${out.detail} (${payload},${fillBits})`);
  return out;
}

/** Decoded application data is derived from the raw bits; the round trip is about the bits. */
function withoutApp(m: AisMessage): object {
  if (m.type === 6 || m.type === 8) {
    const { app: _app, ...rest } = m;
    return rest;
  }
  return m;
}

// ---- arbitraries for valid field values -------------------------------------------------------

const TEXT_CHARS = SIXBIT_TEXT.slice(1); // no '@': it terminates text
const mmsi = fc.integer({ min: 0, max: 2 ** 30 - 1 });
const repeat = fc.integer({ min: 0, max: 3 });
const bool = fc.boolean();
const uint = (bits: number) => fc.integer({ min: 0, max: 2 ** bits - 1 });
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 5 });
const lon = nullable(fc.integer({ min: -108_000_000, max: 108_000_000 }).map((r) => r / 600_000));
const lat = nullable(fc.integer({ min: -54_000_000, max: 54_000_000 }).map((r) => r / 600_000));
const sogTenths = nullable(fc.integer({ min: 0, max: 1022 }).map((r) => r / 10));
const cogTenths = nullable(fc.integer({ min: 0, max: 3599 }).map((r) => r / 10));
const heading = nullable(fc.integer({ min: 0, max: 359 }));
const second = fc.integer({ min: 0, max: 63 });

/** Text as the decoder returns it: no `@`, no trailing spaces, null when empty. */
function text(max: number): fc.Arbitrary<string | null> {
  return fc
    .array(fc.constantFrom(...TEXT_CHARS), { minLength: 0, maxLength: max })
    .map((cs) => trimRightSpaces(cs.join('')))
    .map((s) => (s === '' ? null : s));
}

const classA: fc.Arbitrary<EncodableMessage> = fc
  .record({
    type: fc.constantFrom(1 as const, 2 as const, 3 as const),
    repeat,
    mmsi,
    navStatus: uint(4),
    rotRaw: fc.integer({ min: -128, max: 127 }),
    sog: sogTenths,
    accuracy: bool,
    lon,
    lat,
    cog: cogTenths,
    heading,
    second,
    maneuver: fc.integer({ min: 0, max: 3 }),
    raim: bool,
    radio: uint(19),
  })
  .map((m) => ({ ...m, rot: rateOfTurn(m.rotRaw) }));

const baseStation: fc.Arbitrary<EncodableMessage> = fc.record({
  type: fc.constantFrom(4 as const, 11 as const),
  repeat,
  mmsi,
  year: nullable(fc.integer({ min: 1, max: 16383 })),
  month: nullable(fc.integer({ min: 1, max: 15 })),
  day: nullable(fc.integer({ min: 1, max: 31 })),
  hour: nullable(fc.integer({ min: 0, max: 23 })),
  minute: nullable(fc.integer({ min: 0, max: 59 })),
  second: nullable(fc.integer({ min: 0, max: 59 })),
  accuracy: bool,
  lon,
  lat,
  epfd: uint(4),
  raim: bool,
  radio: uint(19),
});

const staticVoyage: fc.Arbitrary<EncodableMessage> = fc.record({
  type: fc.constant(5 as const),
  repeat,
  mmsi,
  aisVersion: uint(2),
  imo: nullable(fc.integer({ min: 1, max: 2 ** 30 - 1 })),
  callsign: text(7),
  shipName: text(20),
  shipType: nullable(fc.integer({ min: 1, max: 255 })),
  toBow: uint(9),
  toStern: uint(9),
  toPort: uint(6),
  toStarboard: uint(6),
  epfd: uint(4),
  eta: fc.record({
    month: nullable(fc.integer({ min: 1, max: 15 })),
    day: nullable(fc.integer({ min: 1, max: 31 })),
    hour: nullable(fc.integer({ min: 0, max: 23 })),
    minute: nullable(fc.integer({ min: 0, max: 59 })),
  }),
  draught: nullable(fc.integer({ min: 1, max: 255 }).map((r) => r / 10)),
  destination: text(20),
  dte: uint(1),
});

/** Hex of `bitCount` bits as the decoder renders it: lower case, unused low bits of the last byte zero. */
function binaryData(maxBits: number): fc.Arbitrary<{ bitCount: number; data: string }> {
  return fc.integer({ min: 0, max: maxBits }).chain((bitCount) =>
    fc.uint8Array({ minLength: Math.ceil(bitCount / 8), maxLength: Math.ceil(bitCount / 8) }).map((bytes) => {
      const rem = bitCount % 8;
      if (rem !== 0 && bytes.length > 0) bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) & (0xff << (8 - rem)) & 0xff;
      return { bitCount, data: Buffer.from(bytes).toString('hex') };
    }),
  );
}

const addressedBinary: fc.Arbitrary<EncodableMessage> = fc
  .record({
    repeat,
    mmsi,
    seqno: uint(2),
    destMmsi: mmsi,
    retransmit: bool,
    dac: uint(10),
    fid: uint(6),
    bin: binaryData(920),
  })
  .map(({ bin, ...m }) => ({ type: 6 as const, ...m, ...bin, app: null }));

const binaryBroadcast: fc.Arbitrary<EncodableMessage> = fc
  .record({ repeat, mmsi, dac: uint(10), fid: uint(6), bin: binaryData(952) })
  .map(({ bin, ...m }) => ({ type: 8 as const, ...m, ...bin, app: null }));

const sarAircraft: fc.Arbitrary<EncodableMessage> = fc.record({
  type: fc.constant(9 as const),
  repeat,
  mmsi,
  alt: nullable(fc.integer({ min: 0, max: 4094 })),
  sog: nullable(fc.integer({ min: 0, max: 1022 })),
  accuracy: bool,
  lon,
  lat,
  cog: cogTenths,
  second,
  regional: uint(8),
  dte: uint(1),
  assigned: bool,
  raim: bool,
  radio: uint(20),
});

const classB: fc.Arbitrary<EncodableMessage> = fc.record({
  type: fc.constant(18 as const),
  repeat,
  mmsi,
  reserved: uint(8),
  sog: sogTenths,
  accuracy: bool,
  lon,
  lat,
  cog: cogTenths,
  heading,
  second,
  regional: uint(2),
  cs: bool,
  display: bool,
  dsc: bool,
  band: bool,
  msg22: bool,
  assigned: bool,
  raim: bool,
  radio: uint(20),
});

const extendedClassB: fc.Arbitrary<EncodableMessage> = fc.record({
  type: fc.constant(19 as const),
  repeat,
  mmsi,
  reserved: uint(8),
  sog: sogTenths,
  accuracy: bool,
  lon,
  lat,
  cog: cogTenths,
  heading,
  second,
  regional: uint(4),
  shipName: text(20),
  shipType: nullable(fc.integer({ min: 1, max: 255 })),
  toBow: uint(9),
  toStern: uint(9),
  toPort: uint(6),
  toStarboard: uint(6),
  epfd: uint(4),
  raim: bool,
  dte: uint(1),
  assigned: bool,
});

/** AtoN names up to 34 characters; only a full 20-character first part may end in a space. */
const atonName = fc.array(fc.constantFrom(...TEXT_CHARS), { minLength: 0, maxLength: 34 }).map((cs) => trimRightSpaces(cs.join('')));

const aidToNavigation: fc.Arbitrary<EncodableMessage> = fc.record({
  type: fc.constant(21 as const),
  repeat,
  mmsi,
  aidType: uint(5),
  name: atonName,
  accuracy: bool,
  lon,
  lat,
  toBow: uint(9),
  toStern: uint(9),
  toPort: uint(6),
  toStarboard: uint(6),
  epfd: uint(4),
  second,
  offPosition: bool,
  regional: uint(8),
  raim: bool,
  virtualAid: bool,
  assigned: bool,
});

const partA: fc.Arbitrary<EncodableMessage> = fc.record({
  type: fc.constant(24 as const),
  repeat,
  mmsi,
  partNo: fc.constant(0 as const),
  shipName: text(20),
});

/** The 7-character vendor id a decoder reads over manufacturer + model + serial. */
function vendorIdOf(maker: string, model: number, serial: number): string {
  const v = model * 2 ** 20 + serial;
  let s = maker;
  for (let shift = 18; shift >= 0; shift -= 6) s += SIXBIT_TEXT[Math.floor(v / 2 ** shift) % 64];
  const at = s.indexOf('@');
  return trimRightSpaces(at >= 0 ? s.slice(0, at) : s);
}

const partB: fc.Arbitrary<EncodableMessage> = fc
  .record({
    repeat,
    mmsi: fc.oneof(mmsi, fc.integer({ min: 980_000_000, max: 989_999_999 })),
    shipType: nullable(fc.integer({ min: 1, max: 255 })),
    maker: fc.array(fc.constantFrom(...TEXT_CHARS), { minLength: 3, maxLength: 3 }).map((c) => c.join('')),
    model: uint(4),
    serial: uint(20),
    callsign: text(7),
    dims: fc.tuple(uint(9), uint(9), uint(6), uint(6)),
    mothership: uint(30),
  })
  .map(({ maker, dims, mothership, ...m }) => {
    const aux = m.mmsi >= 980_000_000 && m.mmsi < 990_000_000;
    return {
      type: 24 as const,
      partNo: 1 as const,
      ...m,
      vendorId: vendorIdOf(maker, m.model, m.serial),
      toBow: aux ? null : dims[0],
      toStern: aux ? null : dims[1],
      toPort: aux ? null : dims[2],
      toStarboard: aux ? null : dims[3],
      mothershipMmsi: aux ? mothership : null,
    };
  });

const longRange: fc.Arbitrary<EncodableMessage> = fc.record({
  type: fc.constant(27 as const),
  repeat,
  mmsi,
  accuracy: bool,
  raim: bool,
  navStatus: uint(4),
  lon: nullable(fc.integer({ min: -108_000, max: 108_000 }).map((r) => r / 600)),
  lat: nullable(fc.integer({ min: -54_000, max: 54_000 }).map((r) => r / 600)),
  sog: nullable(fc.integer({ min: 0, max: 62 })),
  cog: nullable(fc.integer({ min: 0, max: 359 })),
  gnss: bool,
});

const ALL: Record<string, fc.Arbitrary<EncodableMessage>> = {
  'types 1/2/3': classA,
  'types 4/11': baseStation,
  'type 5': staticVoyage,
  'type 6': addressedBinary,
  'type 8': binaryBroadcast,
  'type 9': sarAircraft,
  'type 18': classB,
  'type 19': extendedClassB,
  'type 21': aidToNavigation,
  'type 24 part A': partA,
  'type 24 part B': partB,
  'type 27': longRange,
};

describe('encodePayload round trip (encode -> decodePayload gives the message back)', () => {
  for (const [name, arb] of Object.entries(ALL)) {
    it(name, () => {
      fc.assert(
        fc.property(arb, (msg) => {
          expect(withoutApp(decode(msg))).toEqual(withoutApp(msg as AisMessage));
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('encodePayload layout', () => {
  const base = {
    repeat: 0,
    mmsi: 205278090,
    navStatus: 0,
    rotRaw: -128,
    rot: null,
    sog: 8.4,
    accuracy: true,
    lon: 4.73319,
    lat: 51.725665,
    cog: 260.1,
    heading: null,
    second: 37,
    maneuver: 0,
    raim: true,
    radio: 59916,
  } as const;

  it('reproduces a real type 1 sentence payload bit for bit', () => {
    // ais-stream-decoder's README example: !AIVDM,1,1,,B,133i;RPP1DPEbcDMV@1r:Ow:2>`<,0*41
    expect(encodePayload({ type: 1, ...base })).toEqual({ payload: '133i;RPP1DPEbcDMV@1r:Ow:2>`<', fillBits: 0 });
  });

  it('uses the standard lengths and fill bits per type', () => {
    const cases: Array<[EncodableMessage, number, number]> = [
      [{ type: 1, ...base }, 28, 0],
      [{ type: 24, repeat: 0, mmsi: 1, partNo: 0, shipName: 'X' }, 27, 2],
    ];
    for (const [m, chars, fill] of cases) {
      const { payload, fillBits } = encodePayload(m);
      expect([payload.length, fillBits]).toEqual([chars, fill]);
    }
    const t5 = fc.sample(staticVoyage, 1)[0] as EncodableMessage;
    expect(encodePayload(t5).payload.length * 6 - encodePayload(t5).fillBits).toBe(424);
    const t19 = fc.sample(extendedClassB, 1)[0] as EncodableMessage;
    expect(encodePayload(t19)).toMatchObject({ fillBits: 0 });
    expect(encodePayload(t19).payload.length).toBe(52);
    const t27 = fc.sample(longRange, 1)[0] as EncodableMessage;
    expect(encodePayload(t27).payload.length).toBe(16);
  });

  it('writes the "not available" codes for nulls', () => {
    const { payload, fillBits } = encodePayload({ type: 1, ...base, sog: null, lon: null, lat: null, cog: null });
    const out = decodePayload(payload, fillBits);
    expect(out).toMatchObject({ sog: null, lon: null, lat: null, cog: null, heading: null, rot: null, rotRaw: -128 });
  });

  it('folds lower case text to upper case and unknown characters to "?"', () => {
    const m: EncodableMessage = { type: 24, repeat: 0, mmsi: 211000001, partNo: 0, shipName: 'nordic ÆGIR' };
    expect(decode(m)).toMatchObject({ shipName: 'NORDIC ?GIR' });
  });

  it('splits a merged type 24 record into parts A and B that decode back', () => {
    const merged: StaticDataReport = {
      type: 24,
      repeat: 0,
      mmsi: 244123456,
      partNo: null,
      shipName: 'SEA BREEZE',
      shipType: 37,
      vendorId: vendorIdOf('SRT', 1, 4567),
      model: 1,
      serial: 4567,
      callsign: 'PD1234',
      toBow: 8,
      toStern: 4,
      toPort: 2,
      toStarboard: 2,
      mothershipMmsi: null,
    };
    const [a, b] = splitStaticDataReport(merged);
    expect(decode(a)).toEqual(a);
    expect(decode(b)).toEqual(b);
  });

  it('vendorIdText gives the vendor id a decoder reads', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TEXT_CHARS), { minLength: 3, maxLength: 3 }), uint(4), uint(20), (cs, model, serial) => {
        expect(vendorIdText(cs.join(''), model, serial)).toBe(vendorIdOf(cs.join(''), model, serial));
      }),
    );
  });

  it('maps rates of turn to ROT_AIS', () => {
    expect(rotToRaw(null)).toBe(-128);
    expect(rotToRaw(0)).toBe(0);
    expect(rotToRaw(10)).toBe(15);
    expect(rotToRaw(-10)).toBe(-15);
    expect(rotToRaw(5000)).toBe(126);
  });
});
