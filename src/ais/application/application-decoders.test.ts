/**
 * Application messages of types 6 and 8 that gpsd decodes and sample.aivdm does not contain.
 * Each fixture is written field by field from the layout of the defining document (IMO
 * SN.1/Circ.236 and .289, Inland AIS ECE/TRANS/SC.3/176), armoured, and decoded back through the
 * payload decoder, so a wrong offset or width in a decoder shows up as a wrong value here.
 *
 * The `gpsd` lines are what gpsd's own decoder and JSON writer (gpsd at the commit of
 * ../shared/corpus/gpsd, scaled output) print for the same payloads. Where aisctl prints something
 * else, the expected line is derived from gpsd's by the documented difference
 * (docs/gpsd-differences.md), so any other deviation still fails.
 */
import { describe, expect, it } from 'vitest';
import { toGpsdJson } from '../gpsd-format.js';
import { decodePayload, isPayloadFailure } from '../payload-decoder.js';
import type { AisMessage } from '../types.js';
import type { ApplicationMessage } from './application-types.js';
import { emmaValue } from './emma-warning.js';
import { signalLights } from './inland-signal-status.js';
import { waterLevel } from './inland-water-level.js';

type Field = readonly [width: number, value: number] | { readonly text: string; readonly chars: number };

const SIXBIT_TEXT = '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?';

/** Field values to a bit string, written independently of the decoder's bit reader. */
function bits(fields: readonly Field[]): string {
  let out = '';
  for (const f of fields) {
    if ('text' in f) {
      for (let i = 0; i < f.chars; i++) {
        const c = f.text[i];
        out += (c === undefined ? 0 : SIXBIT_TEXT.indexOf(c)).toString(2).padStart(6, '0');
      }
    } else {
      const [width, value] = f;
      out += (value < 0 ? 2 ** width + value : value).toString(2).padStart(width, '0');
    }
  }
  return out;
}

function decodeBits(b: string): AisMessage {
  const fill = (6 - (b.length % 6)) % 6;
  const padded = b + '0'.repeat(fill);
  let payload = '';
  for (let i = 0; i < padded.length; i += 6) {
    const v = parseInt(padded.slice(i, i + 6), 2);
    payload += String.fromCharCode(v < 40 ? v + 48 : v + 56);
  }
  const r = decodePayload(payload, fill);
  if (isPayloadFailure(r)) throw new Error(`${r.error}: ${r.detail}`);
  return r;
}

function app(fields: readonly Field[]): ApplicationMessage | null {
  const m = decodeBits(bits(fields));
  if (m.type !== 6 && m.type !== 8) throw new Error(`type ${m.type}`);
  return m.app;
}

const text = (t: string, chars: number): Field => ({ text: t, chars });
const T6 = (dac: number, fid: number): Field[] => [
  [6, 6],
  [2, 0],
  [30, 244123456],
  [2, 1],
  [30, 211000111],
  [1, 0],
  [1, 0],
  [10, dac],
  [6, fid],
];
const T8 = (dac: number, fid: number): Field[] => [
  [6, 8],
  [2, 0],
  [30, 244123456],
  [2, 0],
  [10, dac],
  [6, fid],
];

const ROUTE: Field[] = [
  [10, 17],
  [3, 1],
  [5, 2],
  [4, 6],
  [5, 14],
  [5, 9],
  [6, 30],
  [18, 90],
  [5, 3],
  [28, 2400000],
  [27, 31000000],
  [28, -600000],
  [27, 600001],
  [28, 181 * 600000],
  [27, 91 * 600000],
];

const FIXTURES = {
  '8/1/15': [...T8(1, 15), [11, 257], [5, 0]],
  '6/1/15': [...T6(1, 15), [11, 123], [5, 0]],
  '6/1/20': [
    ...T6(1, 20),
    [10, 3],
    [9, 220],
    [8, 125],
    [3, 1],
    [4, 6],
    [5, 14],
    [5, 9],
    [6, 30],
    [1, 1],
    ...Array.from({ length: 26 }, (_, i): Field => [2, i % 4]),
    text('NORTH QUAY 4', 20),
    [25, 601000],
    [24, 3181000],
  ],
  '6/1/25': [...T6(1, 25), [2, 2], [10, 450], [4, 1], [13, 1203], [4, 4], [13, 2]],
  '6/1/25 with spare bits': [...T6(1, 25), [2, 2], [10, 450], [4, 1], [13, 1203], [6, 0]],
  '6/1/28': [...T6(1, 28), ...ROUTE],
  '8/1/27': [...T8(1, 27), ...ROUTE],
  '8/1/13': [
    ...T8(1, 13),
    text('DREDGING', 20),
    text('BUOY 12', 20),
    text('BUOY 14', 20),
    [10, 300],
    [2, 0],
    [5, 3],
    [4, 7],
    [5, 6],
    [6, 0],
    [5, 4],
    [4, 7],
    [5, 18],
    [6, 30],
    [4, 0],
  ],
  '8/1/17': [
    ...T8(1, 17),
    [2, 0],
    [12, 0],
    [30, 366123456],
    [4, 0],
    [24, 2200000],
    [25, -4400000],
    [9, 270],
    [6, 12],
    [10, 14],
    [2, 2],
    text('PDHX', 7),
    [4, 0],
    [24, 91 * 60000],
    [25, 181 * 60000],
    [9, 360],
    [6, 60],
    [10, 255],
  ],
  '8/1/19': [...T8(1, 19), [10, 5], text('KANMON EAST', 20), [25, 7850000], [24, 2017000], [2, 1], [5, 3], [5, 10], [6, 15], [5, 9], [102, 0]],
  '6/200/21': [
    ...T6(200, 21),
    text('DE', 2),
    text('DUI', 3),
    text('00123', 5),
    text('T0001', 5),
    text('07770', 5),
    [4, 6],
    [5, 14],
    [5, 9],
    [6, 30],
    [3, 1],
    [12, 950],
    [5, 0],
  ],
  '6/200/22': [
    ...T6(200, 22),
    text('NL', 2),
    text('RTM', 3),
    text('00456', 5),
    text('L0002', 5),
    text('10010', 5),
    [4, 6],
    [5, 14],
    [5, 10],
    [6, 5],
    [2, 1],
    [2, 0],
  ],
  '8/200/23': [
    ...T8(200, 23),
    [8, 24],
    [4, 5],
    [5, 17],
    [8, 24],
    [4, 5],
    [5, 18],
    [5, 6],
    [6, 30],
    [5, 18],
    [6, 0],
    [28, 4000000],
    [27, 30000000],
    [28, 4100000],
    [27, 30100000],
    [4, 1],
    [9, 21],
    [9, 40],
    [2, 2],
    [4, 3],
    [6, 0],
  ],
  '8/200/24': [...T8(200, 24), text('AT', 2), [11, 1], [14, 501], [11, 2], [14, 500], [11, 3], [14, 0], [11, 0], [14, 0]],
  '8/200/40': [...T8(200, 40), [28, 4000000], [27, 30000000], [4, 5], [9, 90], [3, 2], [30, 120000005], [11, 0]],
  '8/200/10 ERI 8380': [...T8(200, 10), text('02103547', 8), [13, 1100], [10, 114], [14, 8380], [3, 1], [11, 250], [2, 0], [1, 0], [1, 1], [1, 0], [8, 0]],
  '8/200/10 M.1371 type 79': [...T8(200, 10), text('02103547', 8), [13, 1100], [10, 114], [14, 79], [3, 1], [11, 250], [2, 0], [1, 0], [1, 1], [1, 0], [8, 0]],
} satisfies Record<string, readonly Field[]>;

type FixtureName = keyof typeof FIXTURES;

const day = (month: number, d: number, hour: number, minute: number) => ({ month, day: d, hour, minute });
const ROUTE_APP = {
  kind: 'route-info',
  linkage: 17,
  senderClass: 1,
  routeType: 2,
  start: day(6, 14, 9, 30),
  duration: 90,
  waypointCount: 3,
  waypoints: [
    { lon: 4, lat: 31000000 / 600000 },
    { lon: -1, lat: 600001 / 600000 },
    { lon: null, lat: null },
  ],
};

describe('application decoders: fields written from the layout decode back', () => {
  const expected: Partial<Record<FixtureName, ApplicationMessage>> = {
    '8/1/15': { kind: 'extended-ship-static', airDraught: 25.7 },
    '6/1/15': { kind: 'extended-ship-static', airDraught: 12.3 },
    '6/1/20': {
      kind: 'berthing-data',
      linkage: 3,
      berthLength: 220,
      berthDepth: 12.5,
      mooringPosition: 1,
      time: day(6, 14, 9, 30),
      servicesKnown: true,
      services: {
        agent: 0,
        fuel: 1,
        chandler: 2,
        stevedore: 3,
        electrical: 0,
        water: 1,
        customs: 2,
        cartage: 3,
        crane: 0,
        lift: 1,
        medical: 2,
        navRepair: 3,
        provisions: 0,
        shipRepair: 1,
        surveyor: 2,
        steam: 3,
        tugs: 0,
        solidWaste: 1,
        liquidWaste: 2,
        hazardousWaste: 3,
        ballast: 0,
        additional: 1,
        regional1: 2,
        regional2: 3,
        future1: 0,
        future2: 1,
      },
      berthName: 'NORTH QUAY 4',
      lon: 601000 / 60000,
      lat: 3181000 / 60000,
    },
    '6/1/25': {
      kind: 'dangerous-cargo-289',
      unit: 2,
      amount: 450,
      cargos: [
        { code: 1, subtype: 1203 },
        { code: 4, subtype: 2 },
      ],
    },
    '6/1/25 with spare bits': { kind: 'dangerous-cargo-289', unit: 2, amount: 450, cargos: [{ code: 1, subtype: 1203 }] },
    '6/1/28': ROUTE_APP as ApplicationMessage,
    '8/1/27': ROUTE_APP as ApplicationMessage,
    '8/1/13': {
      kind: 'fairway-closed',
      reason: 'DREDGING',
      closedFrom: 'BUOY 12',
      closedTo: 'BUOY 14',
      radius: 300,
      radiusUnit: 0,
      from: day(7, 3, 6, 0),
      to: day(7, 4, 18, 30),
    },
    '8/1/17': {
      kind: 'synthetic-targets',
      targets: [
        { idType: 0, mmsi: 366123456, lat: 2200000 / 60000, lon: -4400000 / 60000, course: 270, second: 12, speed: 14 },
        { idType: 2, callsign: 'PDHX', lat: null, lon: null, course: null, second: 60, speed: null },
      ],
    },
    '8/1/19': {
      kind: 'marine-traffic-signal',
      linkage: 5,
      station: 'KANMON EAST',
      lon: 7850000 / 60000,
      lat: 2017000 / 60000,
      status: 1,
      signal: 3,
      hour: 10,
      minute: 15,
      nextSignal: 9,
    },
    '6/200/21': {
      kind: 'inland-eta',
      country: 'DE',
      locode: 'DUI',
      fairwaySection: '00123',
      terminal: 'T0001',
      hectometre: '07770',
      eta: day(6, 14, 9, 30),
      tugs: 1,
      airDraught: 9.5,
    },
    '6/200/22': {
      kind: 'inland-rta',
      country: 'NL',
      locode: 'RTM',
      fairwaySection: '00456',
      terminal: 'L0002',
      hectometre: '10010',
      rta: day(6, 14, 10, 5),
      status: 1,
    },
    '8/200/23': {
      kind: 'emma-warning',
      start: { year: 2024, month: 5, day: 17, hour: 6, minute: 30 },
      end: { year: 2024, month: 5, day: 18, hour: 18, minute: 0 },
      startLon: 4000000 / 600000,
      startLat: 50,
      endLon: 4100000 / 600000,
      endLat: 30100000 / 600000,
      warningType: 1,
      min: -10,
      max: 20,
      classification: 2,
      windDirection: 3,
    },
    '8/200/24': {
      kind: 'inland-water-level',
      country: 'AT',
      gauges: [
        { id: 1, level: 2.5 },
        { id: 2, level: -2.5 },
        { id: 3, level: null },
        { id: null, level: null },
      ],
    },
    '8/200/40': {
      kind: 'inland-signal-status',
      lon: 4000000 / 600000,
      lat: 50,
      form: 5,
      orientation: 90,
      impact: 2,
      status: 120000005,
      lights: [1, 2, 0, 0, 0, 0, 0, 0, 5],
    },
  };

  for (const [name, want] of Object.entries(expected)) {
    it(name, () => {
      expect(app(FIXTURES[name as FixtureName])).toEqual(want);
    });
  }

  it('the raw data stays in the message next to the decoded `app`', () => {
    const m = decodeBits(bits(FIXTURES['8/1/15']));
    expect(m).toMatchObject({ type: 8, dac: 1, fid: 15, bitCount: 16, data: '2020', app: { airDraught: 25.7 } });
  });

  it('a type 6 FID 15 is read after the addressed header, not from bit 56 (inside the destination MMSI)', () => {
    expect(app([...T6(1, 15), [11, 0], [5, 0]])).toEqual({ kind: 'extended-ship-static', airDraught: null });
  });

  it('a route or target count beyond the standard, or beyond the message, lists only what is there', () => {
    const route17 = app([
      ...T8(1, 27),
      [10, 1],
      [3, 0],
      [5, 1],
      [20, 0],
      [18, 0],
      [5, 17],
      ...Array.from({ length: 17 }, (): Field[] => [
        [28, 60],
        [27, 60],
      ]).flat(),
    ]);
    expect(route17).toMatchObject({ kind: 'route-info', waypointCount: 17, duration: 0 });
    if (route17?.kind !== 'route-info') throw new Error('kind');
    expect(route17.waypoints).toHaveLength(16);

    const shortRoute = app([...T8(1, 27), ...ROUTE.slice(0, 11)]);
    expect(shortRoute).toMatchObject({ kind: 'route-info', waypointCount: 3, waypoints: [{ lon: 4 }] });
  });

  it('sign-and-magnitude values: sign in the least significant bit, unknown codes are null', () => {
    expect(emmaValue(0b000010100)).toBe(10);
    expect(emmaValue(0b000010101)).toBe(-10);
    expect(emmaValue(0b111111100)).toBe(254);
    expect(emmaValue(0b111111111)).toBeNull();
    expect(emmaValue(0b111111110)).toBeNull();
    expect(waterLevel(0b00000111110101)).toBe(2.5);
    expect(waterLevel(0b00000111110100)).toBe(-2.5);
    expect(waterLevel(0)).toBeNull();
    expect(waterLevel(1)).toBeNull();
  });

  it('signal status: nine decimal digits, light 1 first; larger 30-bit values are not a status', () => {
    expect(signalLights(0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(signalLights(999999999)).toEqual([9, 9, 9, 9, 9, 9, 9, 9, 9]);
    expect(signalLights(2 ** 30 - 1)).toBeNull();
  });

  it("inland messages of another length are not decoded (they are someone else's DAC 200 message)", () => {
    expect(app([...FIXTURES['6/200/21'], [6, 0]])).toBeNull();
    expect(app([...FIXTURES['8/200/24'], [1, 0]])).toBeNull();
    expect(app(FIXTURES['8/200/40'].slice(0, -1))).toBeNull();
  });
});

describe('truncated payloads: never throw, keep the data, decode only what is whole', () => {
  /** Minimum message length in bits for the layout; null for fixed-length (exact) messages. */
  const rules: Record<FixtureName, { min: number } | { exact: number }> = {
    '8/1/15': { min: 67 },
    '6/1/15': { min: 99 },
    '6/1/20': { min: 360 },
    '6/1/25': { min: 100 },
    '6/1/25 with spare bits': { min: 100 },
    '6/1/28': { min: 149 },
    '8/1/27': { min: 117 },
    '8/1/13': { min: 468 },
    '8/1/17': { min: 178 },
    '8/1/19': { min: 258 },
    '6/200/21': { exact: 248 },
    '6/200/22': { exact: 232 },
    '8/200/23': { exact: 256 },
    '8/200/24': { exact: 168 },
    '8/200/40': { exact: 168 },
    '8/200/10 ERI 8380': { exact: 168 },
    '8/200/10 M.1371 type 79': { exact: 168 },
  };

  for (const [name, fields] of Object.entries(FIXTURES)) {
    it(name, () => {
      const full = bits(fields);
      const header = full.startsWith('000110') ? 88 : 56;
      const rule = rules[name as FixtureName];
      for (let len = header; len <= full.length; len++) {
        const m = decodeBits(full.slice(0, len));
        if (m.type !== 6 && m.type !== 8) throw new Error('type');
        expect(m.bitCount).toBe(len - header);
        const decodable = 'min' in rule ? len >= rule.min : len === rule.exact;
        expect(m.app === null, `${len} bits`).toBe(!decodable);
        if (m.app?.kind === 'dangerous-cargo-289') expect(m.app.cargos).toHaveLength(Math.min(28, Math.floor((len - 100) / 17)));
        if (m.app?.kind === 'synthetic-targets') expect(m.app.targets).toHaveLength(Math.floor((len - 56) / 122));
        if (m.app?.kind === 'route-info') expect(m.app.waypoints).toHaveLength(Math.min(3, Math.floor((len - header - 61) / 55)));
      }
    });
  }
});

describe('gpsd JSON for the same payloads', () => {
  const head6 = (fid: number, dac = 1) =>
    `{"class":"AIS","device":"stdin","type":6,"repeat":0,"mmsi":244123456,"scaled":true,"seqno":1,"dest_mmsi":211000111,"retransmit":false,"dac":${dac},"fid":${fid}`;
  const head8 = (fid: number, dac = 1) => `{"class":"AIS","device":"stdin","type":8,"repeat":0,"mmsi":244123456,"scaled":true,"dac":${dac},"fid":${fid}`;

  /** gpsd's line, and for the documented differences the edit that turns it into aisctl's. */
  const cases: Record<FixtureName, { gpsd: string; differs?: readonly (readonly [string, string])[] }> = {
    '8/1/15': { gpsd: `${head8(15)},"airdraught":257}` },
    '6/1/15': {
      gpsd: `${head6(15)},"airdraught":869}`,
      // gpsd reads bits 56-66 (destination MMSI); the air draught starts at bit 88.
      differs: [['"airdraught":869', '"airdraught":123']],
    },
    '6/1/20': {
      gpsd:
        `${head6(20)},"linkage":3,"berth_length":220,"position":1,"position_text":"Port-side to","arrival":"6-14T9:30","availability":1,` +
        '"agent":0,"fuel":1,"chandler":2,"stevedore":3,"electrical":0,"water":1,"customs":2,"cartage":3,"crane":0,"lift":1,' +
        '"medical":2,"navrepair":3,"provisions":0,"shiprepair":1,"surveyor":2,"steam":3,"tugs":0,"solidwaste":1,"liquidwaste":2,' +
        '"hazardouswaste":3,"ballast":0,"additional":1,"regional1":2,"regional2":3,"future1":0,"future2":1,' +
        '"berth_name":"NORTH QUAY 4","berth_lon":10.016667,"berth_lat":53.016667,"berth_depth":12.5}',
    },
    '6/1/25': { gpsd: `${head6(25)},"unit":2,"amount":450,"cargos":[{"code":1,"subtype":1203},{"code":4,"subtype":2}]}` },
    '6/1/25 with spare bits': {
      gpsd: `${head6(25)},"unit":2,"amount":450,"cargos":[{"code":1,"subtype":1203},{"code":0,"subtype":0}]}`,
      // gpsd turns the 6 spare bits into a second, zero-filled cargo entry.
      differs: [[',{"code":0,"subtype":0}', '']],
    },
    '6/1/28': {
      gpsd:
        `${head6(28)},"linkage":17,"sender":1,"rtype":2,"rtype_text":"Recommended","start":"06-14T09:30Z","duration":90,` +
        '"waypoints":[{"lon":4.0000000,"lat":51.6666667},{"lon":-1.0000000,"lat":1.0000017},{"lon":181.0000000,"lat":91.0000000}]}',
    },
    '8/1/27': {
      gpsd:
        `${head8(27)},"linkage":17,"sender":1,"rtype":2,"rtype_text":"Recommended","start":"06-14T09:30Z","duration":90,` +
        '"waypoints":[{"lon":4.0000000,"lat":51.6666667},{"lon":-1.0000000,"lat":1.0000017},{"lon":181.0000000,"lat":91.0000000}]}',
    },
    '8/1/13': {
      gpsd: `${head8(13)},"reason":"DREDGING","closefrom":"BUOY 12","closeto":"BUOY 14","radius":300,"extunit":0,"from":"07-03T06:00","to":"07-04T18:30"}`,
    },
    '8/1/17': {
      gpsd:
        `${head8(17)},"targets":[{"idtype":0,"idtype_text":"mmsi","mmsi":"366123456","lat":36.666667,"lon":-73.333333,"course":270,"second":12,"speed":14},` +
        '{"idtype":2,"idtype_text":"callsign","callsign":"PDHX","lat":91.000000,"lon":181.000000,"course":360,"second":60,"speed":255},' +
        '{"idtype":0,"idtype_text":"mmsi","mmsi":"0","lat":0.000000,"lon":0.000000,"course":0,"second":0,"speed":0}]}',
      // gpsd reads one more target starting where the message ends.
      differs: [[',{"idtype":0,"idtype_text":"mmsi","mmsi":"0","lat":0.000000,"lon":0.000000,"course":0,"second":0,"speed":0}', '']],
    },
    '8/1/19': {
      gpsd:
        `${head8(19)},"linkage":5,"station":"KANMON EAST","lon":130.833333,"lat":33.616667,"status":1,"signal":3,` +
        '"signal_text":"Vessels may proceed. One way traffic.","hour":10,"minute":15,"nextsignal":9"nextsignal_text":"I = "in-bound" only acceptable."}',
      // gpsd omits a comma and leaves the quotes unescaped (not JSON), and names signal 9 with code 8's text.
      differs: [
        ['"nextsignal":9"nextsignal_text":"I = "in-bound" only acceptable."', '"nextsignal":9,"nextsignal_text":"O = \\"out-bound\\" only acceptable."'],
      ],
    },
    '6/200/21': {
      gpsd: `${head6(21, 200)},"country":"DE","locode":"DUI","section":"00123","terminal":"T0001","hectometre":"07770","eta":"6-14T9:30","tugs":1,"airdraught":950}`,
    },
    '6/200/22': {
      gpsd: `${head6(22, 200)},"country":"NL","locode":"RTM","section":"00456","terminal":"L0002","hectometre":"10010","eta":"6-14T10:5","status":1,"status_text":"Limited operation"}`,
    },
    '8/200/23': {
      gpsd:
        `${head8(23, 200)},"start":"2024-05-06T30:17","end":"2024-05-18T18:00","start_lon":6.6666667,"start_lat":50.0000000,` +
        '"end_lon":6.8333333,"end_lat":50.1666667,"type":1,"type_text":"Wind","min":21,"max":40,"class":2,"class_text":"Strong","wind":3,"wind_text":"East"}',
      differs: [
        // gpsd prints the start as year-month-hour:minute:day.
        ['"start":"2024-05-06T30:17"', '"start":"2024-05-17T06:30"'],
        // gpsd's "type" and "class" keys repeat the record's own keys.
        ['"type":1,"type_text"', '"emma_type":1,"emma_type_text"'],
        // Sign and magnitude (sign in the least significant bit), not two's complement.
        ['"min":21,"max":40', '"min":-10,"max":20'],
        // Classification 2 is Medium; gpsd indexes its table from 0.
        ['"class":2,"class_text":"Strong"', '"emma_class":2,"emma_class_text":"Medium"'],
      ],
    },
    '8/200/24': {
      gpsd: `${head8(24, 200)},"country":"AT","gauges":[{"id":1,"level":501},{"id":2,"level":500},{"id":3,"level":0},{"id":0,"level":0}]}`,
      // Sign and magnitude in centimetres, sign in the least significant bit.
      differs: [['{"id":1,"level":501},{"id":2,"level":500}', '{"id":1,"level":250},{"id":2,"level":-250}']],
    },
    '8/200/40': {
      gpsd: `${head8(40, 200)},"lon":6.6666667,"lat":50.0000000,"form":5,"facing":90,"direction":2,"direction_text":"Downstream","status":120000005,"status_text":"INVALID STATUS"}`,
      // The status is nine decimal digits, one light each; gpsd looks the whole number up as one light.
      differs: [['"INVALID STATUS"', '"No light, White, Unknown, Unknown, Unknown, Unknown, Unknown, Unknown, Red"']],
    },
    '8/200/10 ERI 8380': {
      gpsd:
        `${head8(10, 200)},"vin":"02103547","length":1100,"beam":114,"shiptype":8380,"shiptype_text":"Illegal ship type value.",` +
        '"hazard":1,"hazard_text":"1 blue cone/light","draught":250,"loaded":0,"loaded_text":"N/A (default)","speed_q":false,"course_q":true,"heading_q":false}',
      // gpsd's ERI table stops at 8370.
      differs: [['"Illegal ship type value."', '"Pushtow, eight barges at least one tanker or gas barge"']],
    },
    '8/200/10 M.1371 type 79': {
      gpsd:
        `${head8(10, 200)},"vin":"02103547","length":1100,"beam":114,"shiptype":79,"shiptype_text":"Motor freighter",` +
        '"hazard":1,"hazard_text":"1 blue cone/light","draught":250,"loaded":0,"loaded_text":"N/A (default)","speed_q":false,"course_q":true,"heading_q":false}',
    },
  };

  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: ${c.differs === undefined ? 'byte-identical to gpsd' : 'gpsd except the documented difference'}`, () => {
      let want = c.gpsd;
      for (const [from, to] of c.differs ?? []) {
        expect(want).toContain(from);
        want = want.replace(from, to);
      }
      const ours = toGpsdJson(decodeBits(bits(FIXTURES[name as FixtureName])));
      expect(ours).toBe(want);
      expect(() => JSON.parse(ours) as unknown).not.toThrow();
    });
  }

  it("ERI codes outside gpsd's table, and gpsd's names for M.1371 types in the ERI field", () => {
    const eri = (code: number): unknown => {
      const fields = FIXTURES['8/200/10 M.1371 type 79'].map((f, i): Field => (i === 9 ? [14, code] : f));
      return (JSON.parse(toGpsdJson(decodeBits(bits(fields)))) as Record<string, unknown>).shiptype_text;
    };
    expect(eri(8370)).toBe('Pushtow, seven barges at least one tanker or gas barge');
    expect(eri(8445)).toBe('Day-trip high speed vessel');
    expect(eri(1920)).toBe('Catamaran fast');
    expect(eri(99)).toBe('Vessel, type unknown');
    expect(eri(90)).toBe('Tankbarge, liquid cargo, type N');
    expect(eri(52)).toBe('Illegal ship type value.');
    expect(eri(1234)).toBe('Illegal ship type value.');
  });
});
