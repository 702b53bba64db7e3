import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePayload, isPayloadFailure, type PayloadFailure } from './payload-decoder.js';
import { sixbitChar } from './sixbit.js';
import type { AisMessage } from './types.js';

function ok(payload: string, fill = 0): AisMessage {
  const r = decodePayload(payload, fill);
  if (isPayloadFailure(r)) throw new Error(`${r.error}: ${r.detail}`);
  return r;
}

function fail(payload: string, fill = 0): PayloadFailure {
  const r = decodePayload(payload, fill);
  if (!isPayloadFailure(r)) throw new Error(`expected a failure, got type ${r.type}`);
  return r;
}

/** Builds a payload from (value, width) fields, padded with zero bits to whole characters. */
function build(fields: ReadonlyArray<readonly [number, number]>, totalBits?: number): { payload: string; fill: number } {
  let bits = '';
  for (const [v, w] of fields) bits += (v < 0 ? v + 2 ** w : v).toString(2).padStart(w, '0');
  if (totalBits !== undefined) bits = bits.padEnd(totalBits, '0');
  const fill = (6 - (bits.length % 6)) % 6;
  bits += '0'.repeat(fill);
  let payload = '';
  for (let i = 0; i < bits.length; i += 6) payload += sixbitChar(parseInt(bits.slice(i, i + 6), 2));
  return { payload, fill };
}

describe('decodePayload on corpus payloads (gpsd sample.aivdm, values from its reference decodes)', () => {
  it('type 1: position, fast turn, speed, course', () => {
    const m = ok('15RTgt0PAso;90TKcjM8h6g208CQ');
    expect(m).toMatchObject({
      type: 1,
      repeat: 0,
      mmsi: 371798000,
      navStatus: 0,
      rotRaw: -127,
      rot: null,
      sog: 12.3,
      accuracy: true,
      cog: 224,
      heading: 215,
      second: 33,
      raim: false,
      radio: 34017,
    });
    if (m.type !== 1) throw new Error('type');
    expect(m.lon).toBeCloseTo(-123.395383333, 8);
    expect(m.lat).toBeCloseTo(48.38163333333, 8);
  });

  it('type 1: not-available codes become null', () => {
    const m = ok('16SteH0P00Jt63hHaa6SagvJ087r');
    expect(m).toMatchObject({ type: 1, mmsi: 440348000, rot: null, rotRaw: -128, heading: null, sog: 0, cog: 93.4 });
  });

  it('type 1 declared as 163 bits (fill 5) keeps the position and reads the radio from the bits present', () => {
    expect(ok('13aIkM@P00PJ@qPNL=e@0?wJ28JO', 5)).toMatchObject({ type: 1, mmsi: 244740981, radio: 1076 });
  });

  it('type 3: rate of turn 0 is 0 deg/min, not null', () => {
    expect(ok('38Id705000rRVJhE7cl9n;160000')).toMatchObject({ type: 3, navStatus: 5, rot: 0, rotRaw: 0, lat: 36.91 });
  });

  it('type 4: base station date and time', () => {
    expect(ok('403OviQuMGCqWrRO9>E6fE700@GO')).toMatchObject({
      type: 4,
      mmsi: 3669702,
      year: 2007,
      month: 5,
      day: 14,
      hour: 19,
      minute: 57,
      second: 39,
      epfd: 7,
    });
  });

  it('type 4: all-unavailable date and position are null', () => {
    expect(ok('402Fha0000Htt<tSF0l4Q@000d20')).toMatchObject({
      year: null,
      month: null,
      day: null,
      hour: null,
      minute: null,
      second: null,
      lon: null,
      lat: null,
    });
  });

  it('type 5: static data, trimmed strings, ETA and draught', () => {
    const payload = '55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8' + '88888888880';
    expect(ok(payload, 2)).toMatchObject({
      type: 5,
      mmsi: 351759000,
      imo: 9134270,
      callsign: '3FOF8',
      shipName: 'EVER DIADEM',
      shipType: 70,
      toBow: 225,
      toStern: 70,
      toPort: 1,
      toStarboard: 31,
      epfd: 1,
      eta: { month: 5, day: 15, hour: 14, minute: 0 },
      draught: 12.2,
      destination: 'NEW YORK',
      dte: 0,
    });
  });

  it('type 8 DAC 1 FID 11: meteorological data decoded into `app`', () => {
    const m = ok('8>jR06@0Bk3:wOli;<`WPhh<1rqVBQf2V@Pdt0J82avIM2b<<Rv1t<ot=@1', 2);
    expect(m).toMatchObject({ type: 8, dac: 1, fid: 11 });
    if (m.type !== 8) throw new Error('type');
    expect(m.app).toMatchObject({ kind: 'met-hydro', windSpeed: 3, windGust: 6, airTemperature: 14.2, airPressure: 1024, waterLevel: -8.4, salinity: 5.3 });
  });

  it('type 8 DAC 1 FID 11 with every sensor unavailable: values are null', () => {
    const m = ok('8>jR06@0Bk3:vOli;L`nwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwt1', 2);
    if (m.type !== 8 || m.app?.kind !== 'met-hydro') throw new Error('not met-hydro');
    expect(m.app.windSpeed).toBeNull();
    expect(m.app.airTemperature).toBeNull();
    expect(m.app.salinity).toBeNull();
  });

  it('type 6 keeps DAC, FID and the data as hex', () => {
    expect(ok('6B?n;be:cbapalgc;i6?Ow4', 2)).toMatchObject({
      type: 6,
      repeat: 1,
      mmsi: 150834090,
      seqno: 3,
      destMmsi: 313240222,
      dac: 669,
      fid: 11,
      bitCount: 48,
      data: 'eb2f118f7ff1',
      app: null,
    });
  });

  it('type 7 with three destinations in a 128-bit message', () => {
    const m = ok('7IiQ4T`UjA9lC;b:M<MWE@', 4);
    if (m.type !== 7) throw new Error('type');
    expect(m.acks.map((a) => a.mmsi)).toEqual([158483613, 321823389, 836359488]);
  });

  it('type 9: SAR aircraft speed in whole knots and altitude in metres', () => {
    expect(ok('91b55wi;hbOS@OdQAC062Ch2089h')).toMatchObject({ type: 9, alt: 303, sog: 42, cog: 154.5 });
  });

  it('type 21: name continued in the name extension', () => {
    const m = ok('E1mg=5J1T4W0h97aRh6ba84<h2d;W:Te=eLvH50```q' + ':D44QDlp0C1DU00', 2);
    expect(m).toMatchObject({ type: 21, mmsi: 123456789, aidType: 20, name: 'CHINA ROSE MURPHY EXPRESS ALERT', regional: 165 });
  });

  it('type 24: part A and part B', () => {
    expect(ok('H42O55i18tMET00000000000000', 2)).toMatchObject({ type: 24, partNo: 0, shipName: 'PROGUY' });
    expect(ok('H42O55lti4hhhilD3nink000?050')).toMatchObject({
      type: 24,
      partNo: 1,
      shipType: 60,
      vendorId: '1D00014',
      callsign: 'TC6163',
      toStern: 15,
      mothershipMmsi: null,
    });
  });

  it('type 27: long range position in 1/10 minute', () => {
    const { payload, fill } = build([
      [27, 6],
      [1, 2],
      [236091959, 30],
      [0, 1],
      [0, 1],
      [3, 4],
      [-92521, 18],
      [52239, 17],
      [63, 6],
      [511, 9],
      [0, 1],
      [0, 1],
    ]);
    expect(ok(payload, fill)).toMatchObject({ type: 27, navStatus: 3, sog: null, cog: null });
  });
});

describe('decodePayload failures', () => {
  it('fill bits outside 0..5', () => {
    expect(fail('15RTgt0PAso;90TKcjM8h6g208CQ', 6).error).toBe('bad_fill_bits');
    expect(fail('15RTgt0PAso;90TKcjM8h6g208CQ', -1).error).toBe('bad_fill_bits');
    expect(fail('15RTgt0PAso;90TKcjM8h6g208CQ', 1.5).error).toBe('bad_fill_bits');
  });

  it('characters outside the 6-bit alphabet', () => {
    const f = fail('15RTgt0PAso;90TKcjM8h6g208CX');
    expect(f.error).toBe('bad_payload_char');
    expect(f.detail).toContain('offset 27');
  });

  it('types 0 and 28..63', () => {
    expect(fail('0000000').error).toBe('unknown_type');
    expect(fail('L000000').error).toBe('unknown_type');
    expect(fail('w000000').error).toBe('unknown_type');
  });

  it('payloads shorter than the type needs', () => {
    expect(fail('').error).toBe('payload_too_short');
    expect(fail('15RTgt').error).toBe('payload_too_short');
    const short = fail('15RTgt0PAso;90TKcjM8h6g208C');
    expect(short.error).toBe('payload_too_short');
    expect(short.detail).toContain('type 1 needs at least 163 bits');
    expect(fail('55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8').error).toBe('payload_too_short');
  });

  it('type 24 part numbers 2 and 3 are not defined', () => {
    const { payload, fill } = build(
      [
        [24, 6],
        [0, 2],
        [1, 30],
        [2, 2],
      ],
      168,
    );
    expect(fail(payload, fill).error).toBe('unknown_type');
  });

  it('type 25/26 too short for the header their flags announce', () => {
    const { payload, fill } = build(
      [
        [26, 6],
        [0, 2],
        [1, 30],
        [1, 1],
        [1, 1],
      ],
      70,
    );
    expect(fail(payload, fill).error).toBe('payload_too_short');
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: -3, max: 9 }), (payload, fill) => {
        const r = decodePayload(payload, fill);
        expect(typeof r).toBe('object');
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on well-armored payloads of any type and length', () => {
    const armored = fc.array(fc.integer({ min: 0, max: 63 }), { maxLength: 170 }).map((vs) => vs.map(sixbitChar).join(''));
    fc.assert(
      fc.property(armored, fc.integer({ min: 0, max: 5 }), (payload, fill) => {
        const r = decodePayload(payload, fill);
        if (!isPayloadFailure(r)) {
          expect(r.type).toBeGreaterThanOrEqual(1);
          expect(r.type).toBeLessThanOrEqual(27);
        }
      }),
      { numRuns: 20000 },
    );
  });
});
