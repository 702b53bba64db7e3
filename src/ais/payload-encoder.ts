/**
 * Encodes typed AIS messages (src/ais/types.ts) into armoured 6-bit payloads, the inverse of the
 * payload decoder: decode(encode(m)) gives m back for every valid m. Used by the traffic
 * generator, the fixtures and the benchmarks, so it is written for speed: one reusable sextet
 * buffer, fields packed through a small integer accumulator, no per-bit loops.
 *
 * Nulls become the standard's "not available" codes (ITU-R M.1371-5): lon 181, lat 91, sog 1023
 * (0.1 kn) or 63 (type 27), cog 3600 or 511, heading 511, ROT -128, draught 0, ETA month/day 0,
 * hour 24, minute 60, empty strings as `@` padding.
 */
import type {
  AddressedBinaryMessage,
  AidToNavigationReport,
  BaseStationReport,
  BinaryBroadcastMessage,
  ExtendedPositionReportClassB,
  LongRangeBroadcast,
  PositionReportClassA,
  PositionReportClassB,
  SarAircraftPosition,
  StaticDataReport,
  StaticDataReportPartA,
  StaticDataReportPartB,
  StaticVoyageData,
} from './types.js';

/** The message types the encoder writes. Merged type 24 records go through `splitStaticDataReport`. */
export type EncodableMessage =
  | PositionReportClassA
  | BaseStationReport
  | StaticVoyageData
  | AddressedBinaryMessage
  | BinaryBroadcastMessage
  | SarAircraftPosition
  | PositionReportClassB
  | ExtendedPositionReportClassB
  | AidToNavigationReport
  | StaticDataReportPartA
  | StaticDataReportPartB
  | LongRangeBroadcast;

export interface EncodedPayload {
  readonly payload: string;
  /** 0..5 padding bits added to reach a whole number of characters. */
  readonly fillBits: number;
}

/** Payload character for each 6-bit value. */
const ARMOR: readonly string[] = Array.from({ length: 64 }, (_, v) => String.fromCharCode(v < 40 ? v + 48 : v + 56));

/** Text character -> 6-bit value; lower case folds to upper case, anything else becomes `?` (63). */
const TEXT_VALUE: Uint8Array = (() => {
  const t = new Uint8Array(128).fill(63);
  for (let c = 32; c < 64; c++) t[c] = c;
  for (let c = 64; c < 96; c++) t[c] = c - 64;
  for (let c = 97; c <= 122; c++) t[c] = c - 96;
  return t;
})();

/** 6-bit value -> text character. */
const TEXT_CHARS = '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?';

const P24 = 2 ** 24;

/**
 * Bit packer over a reusable sextet buffer. Fields are pushed MSB first into `acc`, which never
 * holds more than 5 + 24 bits, so 32-bit integer operations stay exact; wider fields are split.
 */
class SextetWriter {
  private buf = new Uint8Array(192);
  private n = 0;
  private acc = 0;
  private accBits = 0;

  reset(): void {
    this.n = 0;
    this.acc = 0;
    this.accBits = 0;
  }

  /** Unsigned field; values outside 0..2^width-1 wrap modulo 2^width, as a transmitter would. */
  u(value: number, width: number): void {
    if (width > 24) {
      const low = width - 24;
      const p = 2 ** low;
      let v = Math.trunc(value) % (p * P24);
      if (v < 0) v += p * P24;
      this.push(Math.floor(v / P24), low);
      this.push(v % P24, 24);
      return;
    }
    this.push(value, width);
  }

  /** Two's-complement signed field. */
  s(value: number, width: number): void {
    const v = Math.trunc(value);
    this.u(v < 0 ? v + 2 ** width : v, width);
  }

  bool(value: boolean): void {
    this.push(value ? 1 : 0, 1);
  }

  /** `chars` six-bit text characters, padded with `@`; null writes only padding. */
  text(value: string | null, chars: number): void {
    const len = value === null ? 0 : Math.min(value.length, chars);
    for (let i = 0; i < len; i++) {
      const c = (value as string).charCodeAt(i);
      this.push(c < 128 ? (TEXT_VALUE[c] as number) : 63, 6);
    }
    for (let i = len; i < chars; i++) this.push(0, 6);
  }

  /** `bitCount` bits from a hex string, most significant bit first. */
  hex(data: string, bitCount: number): void {
    let left = bitCount;
    for (let i = 0; left > 0; i += 2) {
      const byte = i + 2 <= data.length ? parseInt(data.slice(i, i + 2), 16) : 0;
      const take = left < 8 ? left : 8;
      this.push((Number.isNaN(byte) ? 0 : byte) >>> (8 - take), take);
      left -= take;
    }
  }

  /** Zero bits up to the next multiple of `bits` total. */
  alignTo(bits: number): void {
    const total = this.n * 6 + this.accBits;
    const pad = (bits - (total % bits)) % bits;
    if (pad > 0) this.push(0, pad);
  }

  finish(): EncodedPayload {
    let fillBits = 0;
    if (this.accBits > 0) {
      fillBits = 6 - this.accBits;
      this.emit((this.acc << fillBits) & 63);
      this.acc = 0;
      this.accBits = 0;
    }
    let payload = '';
    const buf = this.buf;
    for (let i = 0; i < this.n; i++) payload += ARMOR[buf[i] as number];
    return { payload, fillBits };
  }

  private push(value: number, width: number): void {
    const mask = width === 32 ? -1 : (1 << width) - 1;
    this.acc = (this.acc << width) | (value & mask);
    this.accBits += width;
    while (this.accBits >= 6) {
      this.accBits -= 6;
      this.emit((this.acc >>> this.accBits) & 63);
    }
    this.acc &= (1 << this.accBits) - 1;
  }

  private emit(sextet: number): void {
    if (this.n === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.n++] = sextet;
  }
}

// One writer per module: encoding is synchronous and JavaScript runs one call at a time.
const w = new SextetWriter();

function lon28(lon: number | null): number {
  return lon === null ? 108_600_000 : Math.round(lon * 600_000);
}
function lat27(lat: number | null): number {
  return lat === null ? 54_600_000 : Math.round(lat * 600_000);
}
function lon18(lon: number | null): number {
  return lon === null ? 108_600 : Math.round(lon * 600);
}
function lat17(lat: number | null): number {
  return lat === null ? 54_600 : Math.round(lat * 600);
}
function tenths(v: number | null, na: number): number {
  return v === null ? na : Math.round(v * 10);
}
function whole(v: number | null, na: number): number {
  return v === null ? na : Math.round(v);
}

function header(m: { type: number; repeat: number; mmsi: number }): void {
  w.u(m.type, 6);
  w.u(m.repeat, 2);
  w.u(m.mmsi, 30);
}

function classA(m: PositionReportClassA): void {
  header(m);
  w.u(m.navStatus, 4);
  w.s(m.rotRaw, 8);
  w.u(tenths(m.sog, 1023), 10);
  w.bool(m.accuracy);
  w.s(lon28(m.lon), 28);
  w.s(lat27(m.lat), 27);
  w.u(tenths(m.cog, 3600), 12);
  w.u(whole(m.heading, 511), 9);
  w.u(m.second, 6);
  w.u(m.maneuver, 2);
  w.u(0, 3);
  w.bool(m.raim);
  w.u(m.radio, 19);
}

function baseStation(m: BaseStationReport): void {
  header(m);
  w.u(whole(m.year, 0), 14);
  w.u(whole(m.month, 0), 4);
  w.u(whole(m.day, 0), 5);
  w.u(whole(m.hour, 24), 5);
  w.u(whole(m.minute, 60), 6);
  w.u(whole(m.second, 60), 6);
  w.bool(m.accuracy);
  w.s(lon28(m.lon), 28);
  w.s(lat27(m.lat), 27);
  w.u(m.epfd, 4);
  w.u(0, 10);
  w.bool(m.raim);
  w.u(m.radio, 19);
}

function staticVoyage(m: StaticVoyageData): void {
  header(m);
  w.u(m.aisVersion, 2);
  w.u(whole(m.imo, 0), 30);
  w.text(m.callsign, 7);
  w.text(m.shipName, 20);
  w.u(whole(m.shipType, 0), 8);
  w.u(m.toBow, 9);
  w.u(m.toStern, 9);
  w.u(m.toPort, 6);
  w.u(m.toStarboard, 6);
  w.u(m.epfd, 4);
  w.u(whole(m.eta.month, 0), 4);
  w.u(whole(m.eta.day, 0), 5);
  w.u(whole(m.eta.hour, 24), 5);
  w.u(whole(m.eta.minute, 60), 6);
  w.u(tenths(m.draught, 0), 8);
  w.text(m.destination, 20);
  w.u(m.dte, 1);
  w.u(0, 1);
}

function addressedBinary(m: AddressedBinaryMessage): void {
  header(m);
  w.u(m.seqno, 2);
  w.u(m.destMmsi, 30);
  w.bool(m.retransmit);
  w.u(0, 1);
  w.u(m.dac, 10);
  w.u(m.fid, 6);
  w.hex(m.data, m.bitCount);
}

function binaryBroadcast(m: BinaryBroadcastMessage): void {
  header(m);
  w.u(0, 2);
  w.u(m.dac, 10);
  w.u(m.fid, 6);
  w.hex(m.data, m.bitCount);
}

function sarAircraft(m: SarAircraftPosition): void {
  header(m);
  w.u(whole(m.alt, 4095), 12);
  w.u(whole(m.sog, 1023), 10);
  w.bool(m.accuracy);
  w.s(lon28(m.lon), 28);
  w.s(lat27(m.lat), 27);
  w.u(tenths(m.cog, 3600), 12);
  w.u(m.second, 6);
  w.u(m.regional, 8);
  w.u(m.dte, 1);
  w.u(0, 3);
  w.bool(m.assigned);
  w.bool(m.raim);
  w.u(m.radio, 20);
}

function classB(m: PositionReportClassB): void {
  header(m);
  w.u(m.reserved, 8);
  w.u(tenths(m.sog, 1023), 10);
  w.bool(m.accuracy);
  w.s(lon28(m.lon), 28);
  w.s(lat27(m.lat), 27);
  w.u(tenths(m.cog, 3600), 12);
  w.u(whole(m.heading, 511), 9);
  w.u(m.second, 6);
  w.u(m.regional, 2);
  w.bool(m.cs);
  w.bool(m.display);
  w.bool(m.dsc);
  w.bool(m.band);
  w.bool(m.msg22);
  w.bool(m.assigned);
  w.bool(m.raim);
  w.u(m.radio, 20);
}

function extendedClassB(m: ExtendedPositionReportClassB): void {
  header(m);
  w.u(m.reserved, 8);
  w.u(tenths(m.sog, 1023), 10);
  w.bool(m.accuracy);
  w.s(lon28(m.lon), 28);
  w.s(lat27(m.lat), 27);
  w.u(tenths(m.cog, 3600), 12);
  w.u(whole(m.heading, 511), 9);
  w.u(m.second, 6);
  w.u(m.regional, 4);
  w.text(m.shipName, 20);
  w.u(whole(m.shipType, 0), 8);
  w.u(m.toBow, 9);
  w.u(m.toStern, 9);
  w.u(m.toPort, 6);
  w.u(m.toStarboard, 6);
  w.u(m.epfd, 4);
  w.bool(m.raim);
  w.u(m.dte, 1);
  w.bool(m.assigned);
  w.u(0, 4);
}

function aidToNavigation(m: AidToNavigationReport): void {
  header(m);
  w.u(m.aidType, 5);
  w.text(m.name.slice(0, 20), 20);
  w.bool(m.accuracy);
  w.s(lon28(m.lon), 28);
  w.s(lat27(m.lat), 27);
  w.u(m.toBow, 9);
  w.u(m.toStern, 9);
  w.u(m.toPort, 6);
  w.u(m.toStarboard, 6);
  w.u(m.epfd, 4);
  w.u(m.second, 6);
  w.bool(m.offPosition);
  w.u(m.regional, 8);
  w.bool(m.raim);
  w.bool(m.virtualAid);
  w.bool(m.assigned);
  w.u(0, 1);
  // The extension carries name characters 21..34; spare bits then pad to a byte boundary.
  const ext = m.name.length > 20 ? m.name.slice(20, 34) : '';
  if (ext.length > 0) {
    w.text(ext, ext.length);
    w.alignTo(8);
  }
}

function staticPartA(m: StaticDataReportPartA): void {
  header(m);
  w.u(0, 2);
  w.text(m.shipName, 20);
}

function staticPartB(m: StaticDataReportPartB): void {
  header(m);
  w.u(1, 2);
  w.u(whole(m.shipType, 0), 8);
  // M.1371-4+ layout: 3-character manufacturer, 4-bit model, 20-bit serial. A decoded message's
  // 7-character vendorId is those same 42 bits, so this reproduces it exactly.
  w.text(m.vendorId.slice(0, 3), 3);
  w.u(m.model, 4);
  w.u(m.serial, 20);
  w.text(m.callsign, 7);
  if (m.mothershipMmsi !== null) {
    w.u(m.mothershipMmsi, 30);
  } else {
    w.u(m.toBow ?? 0, 9);
    w.u(m.toStern ?? 0, 9);
    w.u(m.toPort ?? 0, 6);
    w.u(m.toStarboard ?? 0, 6);
  }
  w.u(0, 6);
}

function longRange(m: LongRangeBroadcast): void {
  header(m);
  w.bool(m.accuracy);
  w.bool(m.raim);
  w.u(m.navStatus, 4);
  w.s(lon18(m.lon), 18);
  w.s(lat17(m.lat), 17);
  w.u(whole(m.sog, 63), 6);
  w.u(whole(m.cog, 511), 9);
  w.bool(m.gnss);
  w.u(0, 1);
}

/** Armoured payload and fill bits for one message. */
export function encodePayload(msg: EncodableMessage): EncodedPayload {
  w.reset();
  switch (msg.type) {
    case 1:
    case 2:
    case 3:
      classA(msg);
      break;
    case 4:
    case 11:
      baseStation(msg);
      break;
    case 5:
      staticVoyage(msg);
      break;
    case 6:
      addressedBinary(msg);
      break;
    case 8:
      binaryBroadcast(msg);
      break;
    case 9:
      sarAircraft(msg);
      break;
    case 18:
      classB(msg);
      break;
    case 19:
      extendedClassB(msg);
      break;
    case 21:
      aidToNavigation(msg);
      break;
    case 24:
      if (msg.partNo === 0) staticPartA(msg);
      else staticPartB(msg);
      break;
    case 27:
      longRange(msg);
      break;
  }
  return w.finish();
}

/** The two transmissions (part A, part B) behind a merged type 24 record. */
export function splitStaticDataReport(m: StaticDataReport): [StaticDataReportPartA, StaticDataReportPartB] {
  return [
    { type: 24, repeat: m.repeat, mmsi: m.mmsi, partNo: 0, shipName: m.shipName },
    {
      type: 24,
      repeat: m.repeat,
      mmsi: m.mmsi,
      partNo: 1,
      shipType: m.shipType,
      vendorId: m.vendorId,
      model: m.model,
      serial: m.serial,
      callsign: m.callsign,
      toBow: m.toBow,
      toStern: m.toStern,
      toPort: m.toPort,
      toStarboard: m.toStarboard,
      mothershipMmsi: m.mothershipMmsi,
    },
  ];
}

/**
 * The 7-character vendor id a decoder reads from a type 24 part B sent by an M.1371-4+ unit:
 * the 3-character manufacturer followed by the model and serial bits read as text (stopping at
 * the first `@`, trailing spaces trimmed). Build part B messages with it so they round-trip.
 */
export function vendorIdText(maker: string, model: number, serial: number): string {
  const bits = (model & 15) * 2 ** 20 + (serial & 0xfffff);
  let s = '';
  for (let i = 0; i < 3; i++) {
    const c = i < maker.length ? maker.charCodeAt(i) : 64;
    s += TEXT_CHARS.charAt(c < 128 ? (TEXT_VALUE[c] as number) : 63);
  }
  for (let shift = 18; shift >= 0; shift -= 6) s += TEXT_CHARS.charAt(Math.floor(bits / 2 ** shift) % 64);
  const at = s.indexOf('@');
  let end = at >= 0 ? at : s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return s.slice(0, end);
}

/**
 * Transmitted ROT_AIS (-128..127) for a rate of turn in degrees per minute:
 * ROT_AIS = 4.733 * sqrt(|ROT|), signed; beyond 708 deg/min it saturates at +-126, and null
 * gives -128 (not available).
 */
export function rotToRaw(degPerMin: number | null): number {
  if (degPerMin === null) return -128;
  const raw = Math.round(4.733 * Math.sqrt(Math.abs(degPerMin)));
  const clamped = raw > 126 ? 126 : raw;
  return degPerMin < 0 ? -clamped : clamped;
}
