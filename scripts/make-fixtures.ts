/**
 * Builds the project's fixtures (fixtures/*) from the traffic generator and the encoders, and a
 * manifest of what each file holds, so tests can reconcile their counts against it.
 *
 *   node --import tsx scripts/make-fixtures.ts          write fixtures/ (deterministic)
 *   node --import tsx scripts/make-fixtures.ts --check  rebuild in memory; fail when a committed
 *                                                       file differs or when aisctl's readers do
 *                                                       not count what the manifest says
 *
 * Everything is seeded and time comes from constants, so the output is byte-for-byte stable.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { encodePayload, type EncodableMessage } from '../src/ais/payload-encoder.js';
import { checksumHex, nmeaChecksum } from '../src/ais/nmea-checksum.js';
import { toSentences } from '../src/ais/sentence-encoder.js';
import { NmeaDecoder } from '../src/ais/nmea-decoder.js';
import { createNormalizedGenerator, createTrafficGenerator, type GeneratedMessage } from '../src/harness/traffic-generator.js';
import { seededRandom } from '../src/utils/seeded-random.js';
import type { VesselTrack } from '../src/harness/vessel-track.js';
import type { NormalizedMessage, RejectionReason, StaticReport } from '../src/normalize/message.js';
import { createWriter } from '../src/formats/writers/create-writer.js';
import { aishubDocument } from '../src/formats/writers/aishub-writer.js';
import type { OutputFormat } from '../src/formats/writers/record-writer.js';
import { readMessages } from '../src/formats/read-messages.js';
import type { InputFormat } from '../src/formats/input-format.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'fixtures');
/** 2024-06-01 08:00:00 UTC: every fixture's clock starts here. */
const START = Date.UTC(2024, 5, 1, 8, 0, 0);
const SEED = 20240601;
const NOW_FOR_CHECK = Date.UTC(2024, 5, 2);

// ---- bookkeeping ----------------------------------------------------------------------------

interface NmeaExpect {
  format: 'nmea';
  description: string;
  lines: number;
  /** AIS transmissions, by type: what a decoder that does not merge type 24 parts yields. */
  messagesByType: Record<string, number>;
  messages: number;
  /** Messages from aisctl's NmeaDecoder with default options (type 24 A+B merged into one). */
  decodedMessages: number;
  vessels: number;
  /** Deliberately bad lines by the rejection reason the decoder must give. */
  rejections: Partial<Record<RejectionReason, number>>;
  blankLines: number;
  commentLines: number;
  /** Other NMEA sentences ($GPRMC, ...), skipped without rejection. */
  otherNmea: number;
  /** Wrapper lines ($PGHP) that carry metadata for the next sentence. */
  wrapperLines: number;
  multiSentenceMessages: number;
  ownShipMessages: number;
  lineEnding: 'LF' | 'CRLF';
  notes?: string[];
}

interface RecordExpect {
  format: InputFormat;
  writer: OutputFormat;
  description: string;
  lines: number;
  positions: number;
  statics: number;
  vessels: number;
  rejections: Partial<Record<RejectionReason, number>>;
  notes?: string[];
}

class NmeaTally {
  readonly lines: string[] = [];
  readonly byType: Record<string, number> = {};
  readonly rejections: Partial<Record<RejectionReason, number>> = {};
  readonly mmsis = new Set<number>();
  blank = 0;
  comments = 0;
  other = 0;
  wrappers = 0;
  multi = 0;
  own = 0;
  type24Pairs = 0;

  message(m: EncodableMessage, lines: readonly string[], own = false): void {
    for (const l of lines) this.lines.push(l);
    this.byType[m.type] = (this.byType[m.type] ?? 0) + 1;
    this.mmsis.add(m.mmsi);
    if (lines.length > 1) this.multi++;
    if (own) this.own++;
    if (m.type === 24 && m.partNo === 1) this.type24Pairs++;
  }

  bad(line: string, reason: RejectionReason): void {
    this.lines.push(line);
    this.rejections[reason] = (this.rejections[reason] ?? 0) + 1;
  }

  expect(description: string, lineEnding: 'LF' | 'CRLF', notes?: string[]): NmeaExpect {
    const messages = Object.values(this.byType).reduce((a, b) => a + b, 0);
    return {
      format: 'nmea',
      description,
      lines: this.lines.length,
      messagesByType: this.byType,
      messages,
      decodedMessages: messages - this.type24Pairs,
      vessels: this.mmsis.size,
      rejections: this.rejections,
      blankLines: this.blank,
      commentLines: this.comments,
      otherNmea: this.other,
      wrapperLines: this.wrappers,
      multiSentenceMessages: this.multi,
      ownShipMessages: this.own,
      lineEnding,
      ...(notes === undefined ? {} : { notes }),
    };
  }
}

function bare(line: string): string {
  return line.slice(line.indexOf('!'));
}

function nmeaLine(body: string): string {
  return `$${body}*${checksumHex(nmeaChecksum(body))}`;
}

function sentenceChecksum(sentence: string): string {
  const star = sentence.lastIndexOf('*');
  return sentence.slice(star + 1, star + 3);
}

function hhmmss(t: number): string {
  const d = new Date(t);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}.00`;
}

function ddmmyy(t: number): string {
  const d = new Date(t);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}${p(d.getUTCMonth() + 1)}${String(d.getUTCFullYear()).slice(2)}`;
}

function nmeaLat(lat: number): string {
  const a = Math.abs(lat);
  const deg = Math.floor(a);
  return `${String(deg).padStart(2, '0')}${((a - deg) * 60).toFixed(4).padStart(7, '0')},${lat < 0 ? 'S' : 'N'}`;
}

function nmeaLon(lon: number): string {
  const a = Math.abs(lon);
  const deg = Math.floor(a);
  return `${String(deg).padStart(3, '0')}${((a - deg) * 60).toFixed(4).padStart(7, '0')},${lon < 0 ? 'W' : 'E'}`;
}

function gprmc(t: number, lat: number, lon: number, sog: number, cog: number): string {
  return nmeaLine(`GPRMC,${hhmmss(t)},A,${nmeaLat(lat)},${nmeaLon(lon)},${sog.toFixed(1)},${cog.toFixed(1)},${ddmmyy(t)},,,A`);
}

function gpgga(t: number, lat: number, lon: number): string {
  return nmeaLine(`GPGGA,${hhmmss(t)},${nmeaLat(lat)},${nmeaLon(lon)},1,09,0.9,12.0,M,46.9,M,,`);
}

function longRange(v: VesselTrack): EncodableMessage {
  return {
    type: 27,
    repeat: 0,
    mmsi: v.mmsi,
    accuracy: false,
    raim: false,
    navStatus: v.navStatus === 15 ? 0 : v.navStatus,
    lon: Math.round(v.lon * 600) / 600,
    lat: Math.round(v.lat * 600) / 600,
    sog: Math.min(62, Math.round(v.sog)),
    cog: Math.round(v.cog) % 360,
    gnss: false,
  };
}

function baseStation(t: number): EncodableMessage {
  const d = new Date(t);
  return {
    type: 4,
    repeat: 0,
    mmsi: 2442000,
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    accuracy: true,
    lon: 4.1186,
    lat: 51.9775,
    epfd: 7,
    raim: false,
    radio: 81920,
  };
}

function aidToNavigation(mmsi: number, name: string, lat: number, lon: number, t: number): EncodableMessage {
  return {
    type: 21,
    repeat: 0,
    mmsi,
    aidType: 14,
    name,
    accuracy: true,
    lon,
    lat,
    toBow: 0,
    toStern: 0,
    toPort: 0,
    toStarboard: 0,
    epfd: 7,
    second: Math.floor(t / 1000) % 60,
    offPosition: false,
    regional: 0,
    raim: false,
    virtualAid: false,
    assigned: false,
  };
}

function encodeLines(m: EncodableMessage, opts: Parameters<typeof toSentences>[2]): string[] {
  const { payload, fillBits } = encodePayload(m);
  return toSentences(payload, fillBits, opts);
}

// ---- harbour.nmea: plain sentences ----------------------------------------------------------

interface Traffic {
  readonly messages: Array<{ g: GeneratedMessage; t: number }>;
  readonly fleet: readonly VesselTrack[];
}

function harbourTraffic(count: number, sources: string[], rates: { dup: number; late: number; bad: number }, seed: number): Traffic {
  const gen = createTrafficGenerator({
    vessels: 36,
    sources,
    seed,
    startTimeMs: START,
    dupRate: rates.dup,
    lateRate: rates.late,
    badRate: rates.bad,
    classBShare: 0.35,
  });
  const messages: Array<{ g: GeneratedMessage; t: number }> = [];
  for (let i = 0; i < count; i++) {
    const t = START + i * 1200;
    messages.push({ g: gen.next(t), t });
  }
  return { messages, fleet: gen.fleet };
}

function harbour(): { text: string; expect: NmeaExpect } {
  const tally = new NmeaTally();
  const gen = createTrafficGenerator({
    vessels: 36,
    sources: ['rHARBOUR'],
    seed: SEED,
    startTimeMs: START,
    dupRate: 0,
    lateRate: 0,
    badRate: 0,
    classBShare: 0.35,
  });
  const rng = seededRandom(SEED + 1);
  let seq = 0;
  for (let i = 0; i < 360; i++) {
    const t = START + i * 1200;
    const g = gen.next(t);
    tally.message(g.message, g.lines.map(bare));
    if (i % 25 === 24) {
      // A satellite pass: long-range broadcasts (type 27) of a few class A vessels.
      const v = gen.fleet.filter((f) => !f.classB)[Math.floor(rng() * 10)] as VesselTrack;
      tally.message(longRange(v), encodeLines(longRange(v), { channel: 'B' }));
    }
    if (i % 25 === 0) tally.message(baseStation(t), encodeLines(baseStation(t), { channel: 'A', talker: 'AB' }));
    if (i % 120 === 60) {
      const buoy = aidToNavigation(992446001, 'MAASGEUL APPROACH LIGHT BUOY MV1', 52.0105, 3.9561, t);
      tally.message(buoy, encodeLines(buoy, { channel: 'A', seqId: seq++ % 10 }));
      const wreck = aidToNavigation(992446002, 'WRECK W1', 51.9921, 3.8804, t);
      tally.message(wreck, encodeLines(wreck, { channel: 'B' }));
    }
  }
  return {
    text: tally.lines.join('\n') + '\n',
    expect: tally.expect(
      'Plain !AIVDM sentences (no tag blocks) from 36 vessels (class A and B) off Rotterdam over 7 minutes, ' +
        'plus a base station (type 4), two aids to navigation (type 21, one with a name extension) and ' +
        'satellite long-range reports (type 27). Type 5 comes as two sentences.',
      'LF',
    ),
  };
}

// ---- tagblock.nm4: NMEA 4.0 tag blocks, g: groups, CRLF ---------------------------------------

function tagblock(): { text: string; expect: NmeaExpect } {
  const tally = new NmeaTally();
  const sources = ['rNL-HOEK', 'rBE-ZEEB', 'rGB-HARW'];
  const traffic = harbourTraffic(320, sources, { dup: 0.1, late: 0.05, bad: 0.04 }, SEED + 2);
  let group = 100;
  let i = 0;
  for (const { g } of traffic.messages) {
    i++;
    if (g.kind === 'corrupt') {
      tally.bad(g.line, g.expectedReason as RejectionReason);
      continue;
    }
    if (g.lines.length > 1) {
      // Multi-sentence messages carry an NMEA 4.0 sentence group, as real networks send them.
      const lines = encodeLines(g.message, {
        channel: 'A',
        seqId: group % 10,
        tagBlock: { station: g.source, time: g.ts, group: true, groupId: group++ },
      });
      tally.message(g.message, lines);
    } else {
      tally.message(g.message, g.lines);
    }
    if (i % 40 === 0) {
      tally.lines.push('');
      tally.blank++;
    }
  }
  // A tag block whose own checksum is wrong: the sentence after it cannot be trusted.
  const good = traffic.messages.find((m) => m.g.kind === 'good' && m.g.lines.length === 1)?.g.line as string;
  const bs = good.indexOf('*');
  const wrongTag = good.slice(0, bs + 1) + (good.slice(bs + 1, bs + 3) === '00' ? '01' : '00') + good.slice(bs + 3);
  tally.bad(wrongTag, 'bad_tag_block');
  // Part 2 of a group whose part 1 never arrived.
  const orphan = traffic.messages.find((m) => m.g.lines.length > 1)?.g as GeneratedMessage;
  const parts = encodeLines(orphan.message, { channel: 'B', seqId: 9, tagBlock: { station: orphan.source, time: orphan.ts, group: true, groupId: 999 } });
  tally.bad(parts[1] as string, 'bad_fragment_sequence');
  return {
    text: tally.lines.join('\r\n') + '\r\n',
    expect: tally.expect(
      'NMEA 4.0 tag blocks `\\s:station,c:epoch*hh\\` from three receiving stations hearing the same 36 vessels, ' +
        'with `g:` sentence groups on two-part messages, duplicates heard by a second station, late arrivals ' +
        '(receive time minutes behind), corrupt lines and blank lines; CRLF line ends.',
      'CRLF',
      [
        'Duplicates and late messages decode normally; deduplication and lateness are for fusion and validation.',
        'The orphan group part (g:2-2-999) is rejected at end of input (flush), as an incomplete message.',
      ],
    ),
  };
}

// ---- mixed.nmea: other NMEA, wrappers, trailers, prefixes, own ship, junk ----------------------

function mixed(): { text: string; expect: NmeaExpect } {
  const tally = new NmeaTally();
  const traffic = harbourTraffic(240, ['rMIXED'], { dup: 0, late: 0, bad: 0.05 }, SEED + 3);
  const rng = seededRandom(SEED + 4);
  tally.lines.push('# aisctl fixture: AIS mixed with GPS sentences, wrappers and logger timestamps');
  tally.comments++;
  let own = { lat: 51.95, lon: 4.05, sog: 11.2, cog: 272.5 };
  let i = 0;
  for (const { g, t } of traffic.messages) {
    i++;
    if (i % 12 === 1) {
      own = { ...own, lon: own.lon - 0.0005 };
      tally.lines.push(gprmc(t, own.lat, own.lon, own.sog, own.cog));
      tally.other++;
      if (i % 24 === 1) {
        tally.lines.push(gpgga(t, own.lat, own.lon));
        tally.other++;
      }
      const ownPos: EncodableMessage = {
        type: 1,
        repeat: 0,
        mmsi: 244670000,
        navStatus: 0,
        rot: 0,
        rotRaw: 0,
        sog: own.sog,
        accuracy: true,
        lon: Math.round(own.lon * 600_000) / 600_000,
        lat: Math.round(own.lat * 600_000) / 600_000,
        cog: own.cog,
        heading: 271,
        second: Math.floor(t / 1000) % 60,
        maneuver: 0,
        raim: false,
        radio: 0,
      };
      tally.message(ownPos, encodeLines(ownPos, { own: true, channel: null }), true);
    }
    if (g.kind === 'corrupt') {
      tally.bad(bare(g.line), g.expectedReason as RejectionReason);
      continue;
    }
    const lines = g.lines.map(bare);
    const style = Math.floor(rng() * 5);
    if (style === 0 && lines.length === 1) {
      // Gatehouse: a $PGHP line with the receive time and the wrapped sentence's checksum.
      const d = new Date(g.ts);
      const body = `PGHP,1,${d.getUTCFullYear()},${d.getUTCMonth() + 1},${d.getUTCDate()},${d.getUTCHours()},${d.getUTCMinutes()},${d.getUTCSeconds()},0,244,1,,1,${sentenceChecksum(lines[0] as string)}`;
      tally.lines.push(nmeaLine(body));
      tally.wrappers++;
      tally.message(g.message, lines);
    } else if (style === 1) {
      // USCG-style trailer: station and epoch seconds after the checksum.
      tally.message(
        g.message,
        lines.map((l) => `${l},rMIXED,${g.ts / 1000}`),
      );
    } else if (style === 2) {
      // A logger's timestamp before the sentence.
      tally.message(
        g.message,
        lines.map((l) => `${new Date(g.ts).toISOString()} ${l}`),
      );
    } else {
      tally.message(g.message, lines);
    }
    if (i % 30 === 0) {
      tally.lines.push('');
      tally.blank++;
    }
    if (i % 70 === 0) {
      tally.lines.push('# logger restarted');
      tally.comments++;
    }
  }
  const sample = traffic.messages.find((m) => m.g.kind === 'good' && m.g.lines.length === 1)?.g as GeneratedMessage;
  // A $PGHP wrapper whose own checksum is wrong.
  tally.bad('$PGHP,1,2024,6,1,8,0,0,0,244,1,,1,3C*00', 'bad_checksum');
  // An AIS sentence that lost its leading "!".
  tally.bad(bare(sample.line).slice(1), 'malformed_sentence');
  // Own-ship static data, two sentences.
  const ownStatic: EncodableMessage = {
    type: 5,
    repeat: 0,
    mmsi: 244670000,
    aisVersion: 2,
    imo: 9074729,
    callsign: 'PBAA',
    shipName: 'AISCTL OWN SHIP',
    shipType: 70,
    toBow: 120,
    toStern: 30,
    toPort: 12,
    toStarboard: 12,
    epfd: 1,
    eta: { month: 6, day: 2, hour: 14, minute: 0 },
    draught: 8.5,
    destination: 'NLRTM',
    dte: 0,
  };
  tally.message(ownStatic, encodeLines(ownStatic, { own: true, channel: null, seqId: 1 }), true);
  return {
    text: tally.lines.join('\n') + '\n',
    expect: tally.expect(
      "AIS mixed with the ship's own GPS ($GPRMC, $GPGGA) and own-ship reports (!AIVDO), Gatehouse $PGHP " +
        'wrappers, USCG-style trailers (`,rSTATION,epoch`), ISO-8601 logger prefixes, comments, blank lines and ' +
        'corrupt lines.',
      'LF',
    ),
  };
}

// ---- ownship.nmea: a bridge navigation feed ----------------------------------------------------

function ownship(): { text: string; expect: NmeaExpect } {
  const tally = new NmeaTally();
  let lat = 51.9;
  let lon = 3.6;
  for (let s = 0; s < 120; s++) {
    const t = START + s * 1000;
    lat += 0.00005;
    lon += 0.00004;
    tally.lines.push(gprmc(t, lat, lon, 14.3, 38.7));
    tally.other++;
    const m: EncodableMessage = {
      type: 1,
      repeat: 0,
      mmsi: 244670000,
      navStatus: 0,
      rot: 0,
      rotRaw: 0,
      sog: 14.3,
      accuracy: true,
      lon: Math.round(lon * 600_000) / 600_000,
      lat: Math.round(lat * 600_000) / 600_000,
      cog: 38.7,
      heading: 37,
      second: s % 60,
      maneuver: 0,
      raim: true,
      radio: 0,
    };
    tally.message(m, encodeLines(m, { own: true, channel: null }), true);
  }
  return {
    text: tally.lines.join('\n') + '\n',
    expect: tally.expect('Two minutes of a bridge feed: $GPRMC and own-ship !AIVDO type 1 every second.', 'LF'),
  };
}

// ---- record formats -------------------------------------------------------------------------

function recordTraffic(): { messages: NormalizedMessage[]; staticsOf: Map<number, StaticReport>; vessels: number } {
  const gen = createNormalizedGenerator({
    vessels: 30,
    sources: ['fixture'],
    seed: SEED + 5,
    startTimeMs: START,
    dupRate: 0,
    lateRate: 0,
    badRate: 0,
    classBShare: 0.3,
  });
  const messages: NormalizedMessage[] = [];
  const staticsOf = new Map<number, StaticReport>();
  for (const v of gen.fleet) {
    const s = v.statics;
    staticsOf.set(v.mmsi, {
      kind: 'static',
      mmsi: v.mmsi,
      ts: START,
      name: s.shipName,
      callsign: s.callsign,
      imo: s.imo,
      shipType: s.shipType,
      toBow: s.toBow,
      toStern: s.toStern,
      toPort: s.toPort,
      toStarboard: s.toStarboard,
      draught: v.classB ? null : s.draught,
      destination: v.classB ? null : s.destination,
      source: 'fixture',
      msgType: v.classB ? 24 : 5,
      origin: { file: 'generator', line: 0 },
    });
  }
  for (let i = 0; i < 240; i++) messages.push(gen.next(START + i * 1500).message);
  return { messages, staticsOf, vessels: gen.fleet.length };
}

function records(writerFormat: OutputFormat, inputFormat: InputFormat, description: string): { text: string; expect: RecordExpect } {
  const { messages, staticsOf } = recordTraffic();
  const w = createWriter(writerFormat);
  const lines: string[] = [];
  const head = w.header();
  if (head !== null) lines.push(head);
  let positions = 0;
  let statics = 0;
  const mmsis = new Set<number>();
  const rows = writerFormat === 'jsonl' || writerFormat === 'aisstream' ? 'message' : 'row';
  for (const m of messages) {
    const line = rows === 'message' ? w.line(m) : w.line(m, staticsOf.get(m.mmsi) ?? null);
    if (line === null) continue;
    lines.push(line);
    mmsis.add(m.mmsi);
    if (m.kind === 'position') positions++;
    else statics++;
  }
  // Deliberate bad records: out-of-range latitude, an invalid MMSI, and a record cut short.
  const rejections: Partial<Record<RejectionReason, number>> = {};
  const firstPos = messages.find((m) => m.kind === 'position');
  if (firstPos !== undefined && firstPos.kind === 'position') {
    const s = staticsOf.get(firstPos.mmsi) ?? null;
    const badLat = w.line({ ...firstPos, lat: 95.5 }, s);
    if (badLat !== null) {
      lines.push(badLat);
      rejections.position_out_of_range = 1;
    }
    const badMmsi = w.line({ ...firstPos, mmsi: 12345 }, s === null ? null : { ...s, mmsi: 12345 });
    if (badMmsi !== null) {
      lines.push(badMmsi);
      rejections.bad_mmsi = 1;
    }
  }
  let text: string;
  if (writerFormat === 'aishub-0' || writerFormat === 'aishub-1') {
    // The web service answers with one JSON document; records one per line inside it.
    text = aishubDocument(lines, writerFormat === 'aishub-0' ? 0 : 1).replace(/\},\{/g, '},\n{') + '\n';
  } else {
    const cut = lines[Math.floor(lines.length / 2)] as string;
    lines.push(cut.slice(0, Math.floor(cut.length / 3)));
    rejections.malformed_record = 1;
    text = lines.join('\n') + '\n';
  }
  return {
    text,
    expect: {
      format: inputFormat,
      writer: writerFormat,
      description,
      lines: text.split('\n').length - 1,
      positions,
      statics,
      vessels: mmsis.size,
      rejections,
    },
  };
}

// ---- assemble -------------------------------------------------------------------------------

interface Built {
  readonly files: Map<string, string | Buffer>;
  readonly manifest: { generatedBy: string; startTime: string; seed: number; files: Record<string, NmeaExpect | RecordExpect | object> };
}

function build(): Built {
  const files = new Map<string, string | Buffer>();
  const manifest: Built['manifest'] = {
    generatedBy: 'node --import tsx scripts/make-fixtures.ts',
    startTime: new Date(START).toISOString(),
    seed: SEED,
    files: {},
  };
  const nmea: Array<[string, { text: string; expect: NmeaExpect }]> = [
    ['harbour.nmea', harbour()],
    ['tagblock.nm4', tagblock()],
    ['mixed.nmea', mixed()],
    ['ownship.nmea', ownship()],
  ];
  for (const [name, f] of nmea) {
    files.set(name, f.text);
    manifest.files[name] = f.expect;
  }
  const h = nmea[0]?.[1] as { text: string; expect: NmeaExpect };
  // mtime 0 and no file name in the header keep the gzip bytes stable.
  files.set('harbour.nmea.gz', gzipSync(Buffer.from(h.text), { level: 9 }));
  manifest.files['harbour.nmea.gz'] = { ...h.expect, description: 'harbour.nmea, gzip-compressed.' };

  const recs: Array<[string, OutputFormat, InputFormat, string]> = [
    ['harbour.jsonl', 'jsonl', 'jsonl', 'aisctl JSONL: normalized position and static messages, one JSON object per line.'],
    [
      'harbour.aisstream.jsonl',
      'aisstream',
      'aisstream',
      'aisstream.io websocket messages (PositionReport, StandardClassBPositionReport, ShipStaticData), one per line.',
    ],
    ['harbour.aishub-0.json', 'aishub-0', 'aishub', 'AISHub web-service JSON, format 0 (raw AIS units: lat/lon x 600000, SOG/COG x 10), one document.'],
    ['harbour.aishub-1.json', 'aishub-1', 'aishub', 'AISHub web-service JSON, format 1 (human units), one document.'],
    [
      'harbour.noaa-2023.csv',
      'noaa-csv-2023',
      'noaa-csv',
      'NOAA MarineCadastre CSV, 2015-2023 columns (MMSI,BaseDateTime,LAT,LON,...,TransceiverClass), sentinels 102.3/360/511 for missing values.',
    ],
    [
      'harbour.noaa-2024.csv',
      'noaa-csv-2024',
      'noaa-csv',
      'NOAA MarineCadastre CSV, 2024+ lower-case columns (mmsi,base_date_time,...), empty cells for missing values.',
    ],
    ['harbour.dma.csv', 'dma-csv', 'dma-csv', 'Danish Maritime Authority aisdk CSV (26 columns, dd/mm/yyyy times).'],
  ];
  for (const [name, wf, inf, desc] of recs) {
    const r = records(wf, inf, desc);
    files.set(name, r.text);
    manifest.files[name] = r.expect;
  }
  return { files, manifest };
}

// ---- verification ---------------------------------------------------------------------------

function decodeCounts(text: string): { messages: number; byType: Record<string, number>; rejections: Record<string, number> } {
  const byType: Record<string, number> = {};
  const rejections: Record<string, number> = {};
  let messages = 0;
  const d = new NmeaDecoder({
    message: (m) => {
      messages++;
      byType[m.type] = (byType[m.type] ?? 0) + 1;
    },
    reject: (r) => {
      rejections[r] = (rejections[r] ?? 0) + 1;
    },
  });
  text.split(/\r?\n/).forEach((l, i) => d.push(l, i + 1));
  d.flush();
  return { messages, byType, rejections };
}

async function readCounts(path: string): Promise<{ positions: number; statics: number; rejections: Record<string, number> }> {
  const rejections: Record<string, number> = {};
  let positions = 0;
  let statics = 0;
  const reader = readMessages(path, {
    nowMs: () => NOW_FOR_CHECK,
    maxFutureMs: 5 * 60_000,
    onRejection: (r) => {
      rejections[r.reason] = (rejections[r.reason] ?? 0) + 1;
    },
  });
  for await (const batch of reader) {
    for (const m of batch) {
      if (m.kind === 'position') positions++;
      else statics++;
    }
  }
  return { positions, statics, rejections };
}

/** Gzip bytes depend on the zlib build, so compressed fixtures are compared decompressed. */
function sameContent(name: string, onDisk: Buffer, built: string | Buffer): boolean {
  const want = Buffer.isBuffer(built) ? built : Buffer.from(built);
  if (!name.endsWith('.gz')) return onDisk.equals(want);
  try {
    return gunzipSync(onDisk).equals(gunzipSync(want));
  } catch {
    return false;
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function verify(built: Built): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, exp] of Object.entries(built.manifest.files)) {
    const content = built.files.get(name);
    if (content === undefined || name.endsWith('.gz')) continue;
    if ((exp as { format: string }).format === 'nmea') {
      const e = exp as NmeaExpect;
      const got = decodeCounts(content.toString());
      if (got.messages !== e.decodedMessages) problems.push(`${name}: decoder gave ${got.messages} messages, manifest says ${e.decodedMessages}`);
      if (!same(Object.entries(got.rejections).sort(), Object.entries(e.rejections).sort())) {
        problems.push(`${name}: decoder rejections ${JSON.stringify(got.rejections)}, manifest ${JSON.stringify(e.rejections)}`);
      }
    } else {
      const e = exp as RecordExpect;
      const got = await readCounts(join(OUT, name));
      if (got.positions !== e.positions) problems.push(`${name}: reader gave ${got.positions} positions, manifest says ${e.positions}`);
      if (!same(Object.entries(got.rejections).sort(), Object.entries(e.rejections).sort())) {
        problems.push(`${name}: reader rejections ${JSON.stringify(got.rejections)}, manifest ${JSON.stringify(e.rejections)}`);
      }
    }
  }
  return problems;
}

function readme(built: Built): string {
  const rows = Object.entries(built.manifest.files).map(([name, e]) => {
    const x = e as Partial<NmeaExpect & RecordExpect>;
    const counts =
      x.format === 'nmea'
        ? `${x.lines} lines, ${x.messages} AIS messages (${Object.entries(x.messagesByType ?? {})
            .map(([t, n]) => `type ${t}: ${n}`)
            .join(', ')}), ${x.vessels} MMSIs`
        : `${x.lines} lines, ${x.positions} positions, ${x.statics} statics, ${x.vessels} vessels`;
    const bad = Object.entries(x.rejections ?? {})
      .map(([r, n]) => `${n} x \`${r}\``)
      .join(', ');
    return `| \`${name}\` | ${x.description ?? ''} | ${counts} | ${bad === '' ? 'none' : bad} |`;
  });
  return `# Fixtures

Small, deterministic inputs for tests, demos and the CLI's examples. **Generated, do not edit**:

    node --import tsx scripts/make-fixtures.ts          # rewrite fixtures/
    node --import tsx scripts/make-fixtures.ts --check  # verify committed files and reader counts

The script drives the seeded traffic generator (\`src/harness/traffic-generator.ts\`, seed ${SEED},
clock starting ${new Date(START).toISOString()}) and the AIS encoder (\`src/ais/payload-encoder.ts\`,
\`src/ais/sentence-encoder.ts\`); the record formats are written by \`src/formats/writers/\`. Vessels move
on plausible tracks off Rotterdam with real MIDs; names, call signs and IMO numbers are made up
(IMO check digits are valid).

\`manifest.json\` holds the exact counts per file for tests to reconcile against: for NMEA files
the AIS messages by type (as transmitted; \`decodedMessages\` is what aisctl's decoder yields with
type 24 parts A and B merged), the number of MMSIs, multi-sentence and own-ship (\`!AIVDO\`)
messages, blank/comment/other-NMEA/wrapper lines, and every deliberately bad line by the rejection
reason the decoder must give; for record formats the positions, statics and bad records by reason.

| file | what it is | counts | deliberate bad lines (expected rejection) |
|---|---|---|---|
${rows.join('\n')}

Notes
- Corrupt NMEA lines are of five kinds: a wrong checksum (\`bad_checksum\`), a line cut inside its
  payload or line noise without a checksum (\`malformed_sentence\`), a payload with a character outside
  the 6-bit alphabet (\`bad_payload_char\`), a payload of a few characters (\`payload_too_short\`), and a
  fill-bit field above 5 (\`bad_fill_bits\`). Each keeps a valid checksum where the kind requires it, so
  exactly one check fails.
- \`tagblock.nm4\` also has duplicates (the same transmission heard by a second station, sometimes
  re-encoded a metre off) and late messages (receive time one to ten minutes behind): both decode
  normally and are for fusion and validation to handle.
- Row formats (AISHub, MarineCadastre, DMA) carry each vessel's static data beside its positions;
  \`statics\` counts only the separate static messages of JSONL and aisstream.
`;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const built = build();
  const manifestText = JSON.stringify(built.manifest, null, 2) + '\n';
  const all = new Map(built.files);
  all.set('manifest.json', manifestText);
  all.set('README.md', readme(built));
  if (check) {
    const problems: string[] = [];
    for (const [name, content] of all) {
      const path = join(OUT, name);
      if (!existsSync(path)) problems.push(`${name}: missing; run node --import tsx scripts/make-fixtures.ts`);
      else if (!sameContent(name, readFileSync(path), content)) {
        problems.push(`${name}: differs from what the script builds; regenerate with node --import tsx scripts/make-fixtures.ts`);
      }
    }
    problems.push(...(await verify(built)));
    if (problems.length > 0) {
      process.stderr.write(`fixtures check failed:\n  ${problems.join('\n  ')}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`fixtures check passed: ${all.size} files match and reconcile with manifest.json\n`);
    return;
  }
  mkdirSync(OUT, { recursive: true });
  for (const [name, content] of all) writeFileSync(join(OUT, name), content);
  const problems = await verify(built);
  for (const p of problems) process.stderr.write(`warning: ${p}\n`);
  process.stdout.write(`wrote ${all.size} files to ${OUT}${problems.length > 0 ? ` (${problems.length} reconciliation warnings)` : ''}\n`);
  if (problems.length > 0) process.exitCode = 1;
}

await main();
