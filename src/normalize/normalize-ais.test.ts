import { describe, expect, it } from 'vitest';
import type { AisMessage } from '../ais/types.js';
import type { SentenceMeta } from '../ais/nmea-decoder.js';
import { normalizeAis } from './normalize-ais.js';
import { Type24PartCache } from './type24-part-cache.js';

const NOW = Date.UTC(2024, 0, 1);
const meta = (over: Partial<SentenceMeta> = {}): SentenceMeta => ({
  talker: 'AI',
  own: false,
  channel: 'A',
  station: null,
  receivedAt: null,
  line: 3,
  sentenceCount: 1,
  group: null,
  ...over,
});
const ctx = { file: 'feed.nmea', source: 'feed.nmea', fallbackTimeMs: NOW - 5000, nowMs: NOW, maxFutureMs: 300_000 };

const classA = (over: Record<string, unknown> = {}): AisMessage =>
  ({
    type: 1,
    repeat: 0,
    mmsi: 219063000,
    navStatus: 0,
    rot: 0,
    rotRaw: 0,
    sog: 6.4,
    accuracy: true,
    lon: 8.3,
    lat: 57.1,
    cog: 216.9,
    heading: 217,
    second: 30,
    maneuver: 0,
    raim: false,
    radio: 0,
    ...over,
  }) as AisMessage;

describe('normalizeAis', () => {
  it('takes the time from the tag block, else the fallback receive time', () => {
    expect(normalizeAis(classA(), meta({ receivedAt: NOW - 60_000 }), ctx).messages[0]?.ts).toBe(NOW - 60_000);
    expect(normalizeAis(classA(), meta(), ctx).messages[0]?.ts).toBe(NOW - 5000);
  });

  it('uses the station as source unless the source is fixed', () => {
    expect(normalizeAis(classA(), meta({ station: 'rORBCOMM' }), ctx).messages[0]?.source).toBe('rORBCOMM');
    expect(normalizeAis(classA(), meta(), ctx).messages[0]?.source).toBe('feed.nmea');
    expect(normalizeAis(classA(), meta({ station: 'x' }), { ...ctx, source: 'mine', sourceFixed: true }).messages[0]?.source).toBe('mine');
  });

  it('removes control characters from a tag-block station before it becomes the source', () => {
    // Six-bit text cannot hold a control character, but the tag block's s: is free text.
    const o = normalizeAis(classA(), meta({ station: 'r\u0000ORBCOMM\u0007' }), ctx);
    expect(o.messages[0]?.source).toBe('rORBCOMM');
    expect(o.outOfRange).toEqual(['text_control_chars:source']);
  });

  it('maps navStatus 15 to null and puts file:line in origin', () => {
    const m = normalizeAis(classA({ navStatus: 15 }), meta({ line: 42 }), ctx).messages[0];
    expect(m).toMatchObject({ kind: 'position', navStatus: null, msgType: 1, origin: { file: 'feed.nmea', line: 42 } });
  });

  it('rejects missing positions and future tag-block times', () => {
    expect(normalizeAis(classA({ lat: null, lon: null }), meta(), ctx).rejection?.reason).toBe('position_not_available');
    expect(normalizeAis(classA(), meta({ receivedAt: NOW + 600_000 }), ctx).rejection?.reason).toBe('time_in_future');
  });

  it('ignores non-position, non-static types by type', () => {
    const base = {
      type: 4,
      repeat: 0,
      mmsi: 2190064,
      year: 2024,
      month: 1,
      day: 1,
      hour: 0,
      minute: 0,
      second: 0,
      accuracy: true,
      lon: 1,
      lat: 1,
      epfd: 1,
      raim: false,
      radio: 0,
    } as AisMessage;
    expect(normalizeAis(base, meta(), ctx)).toMatchObject({ ignored: true, ignoredKind: 'ais_type:4' });
  });

  it('type 5 gives a static report; type 19 gives both', () => {
    const t5 = {
      type: 5,
      repeat: 0,
      mmsi: 219063000,
      aisVersion: 0,
      imo: 9307839,
      callsign: 'OXYZ2',
      shipName: 'MSC NAISHA III',
      shipType: 70,
      toBow: 100,
      toStern: 20,
      toPort: 10,
      toStarboard: 0,
      epfd: 1,
      eta: { month: null, day: null, hour: null, minute: null },
      draught: 8,
      destination: 'AARHUS',
      dte: 0,
    } as AisMessage;
    const s = normalizeAis(t5, meta(), ctx).messages;
    expect(s).toEqual([expect.objectContaining({ kind: 'static', name: 'MSC NAISHA III', imo: 9307839, toStarboard: null, draught: 8, msgType: 5 })]);
    const t19 = {
      type: 19,
      repeat: 0,
      mmsi: 219063000,
      reserved: 0,
      sog: 1,
      accuracy: false,
      lon: 8,
      lat: 57,
      cog: 10,
      heading: 11,
      second: 1,
      regional: 0,
      shipName: 'B BOAT',
      shipType: 37,
      toBow: 5,
      toStern: 5,
      toPort: 2,
      toStarboard: 2,
      epfd: 1,
      raim: false,
      dte: 0,
      assigned: false,
    } as AisMessage;
    const both = normalizeAis(t19, meta(), ctx).messages;
    expect(both.map((m) => m.kind)).toEqual(['position', 'static']);
    expect(both[0]).toMatchObject({ navStatus: null, msgType: 19 });
  });

  it('type 24: merged records pass through; separate parts are paired by the part cache', () => {
    const merged = {
      type: 24,
      repeat: 0,
      mmsi: 219063000,
      partNo: null,
      shipName: 'X',
      shipType: 37,
      vendorId: '',
      model: 0,
      serial: 0,
      callsign: 'CS',
      toBow: 3,
      toStern: 4,
      toPort: 1,
      toStarboard: 1,
      mothershipMmsi: null,
    } as AisMessage;
    expect(normalizeAis(merged, meta(), ctx).messages[0]).toMatchObject({ name: 'X', callsign: 'CS', shipType: 37, toBow: 3 });
    const partCache = new Type24PartCache();
    const a = { type: 24, repeat: 0, mmsi: 219063000, partNo: 0, shipName: 'ALPHA' } as AisMessage;
    const b = {
      type: 24,
      repeat: 0,
      mmsi: 219063000,
      partNo: 1,
      shipType: 36,
      vendorId: '',
      model: 0,
      serial: 0,
      callsign: 'CALL',
      toBow: 5,
      toStern: 6,
      toPort: 1,
      toStarboard: 2,
      mothershipMmsi: null,
    } as AisMessage;
    expect(normalizeAis(a, meta(), { ...ctx, type24: partCache }).messages[0]).toMatchObject({ name: 'ALPHA', callsign: null });
    expect(normalizeAis(b, meta(), { ...ctx, type24: partCache }).messages[0]).toMatchObject({ name: 'ALPHA', callsign: 'CALL', toStern: 6 });
    expect(normalizeAis(b, meta(), ctx).messages[0]).toMatchObject({ name: null, callsign: 'CALL' });
  });
});

describe('Type24PartCache', () => {
  it('forgets the least recently updated MMSI beyond its capacity', () => {
    const m = new Type24PartCache(2);
    m.add(1, { a: { name: 'one' } });
    m.add(2, { a: { name: 'two' } });
    m.add(1, { a: { name: 'uno' } });
    m.add(3, { a: { name: 'three' } });
    expect(m.size).toBe(2);
    expect(m.add(2, { b: { shipType: 1, callsign: null, toBow: null, toStern: null, toPort: null, toStarboard: null } }).a).toBeNull();
    expect(m.add(1, { b: { shipType: 1, callsign: null, toBow: null, toStern: null, toPort: null, toStarboard: null } }).a).toBeNull();
  });
});
