/**
 * The one validation path every format goes through: a candidate report with raw values
 * (sentinels allowed, units already converted) becomes a NormalizedMessage, a Rejection, or is
 * ignored. Pure: "now" comes in the context.
 */
import type { NormalizedMessage, Origin, PositionReport, RejectionReason, StaticReport, VesselStaticFields } from './message.js';
import { classifyMmsi, isTrackedClass } from './mmsi.js';
import { validateTime, type TimeContext } from './time.js';
import {
  cleanCog,
  cleanDimension,
  cleanDraught,
  cleanHeading,
  cleanImo,
  cleanNavStatus,
  cleanShipType,
  cleanSog,
  cleanText,
  stripControlChars,
  validatePosition,
  type RangeField,
} from './field-ranges.js';
import { NO_FIELDS, ignoredOutcome, mergeOutcomes, rejectedOutcome, type NormalizeOutcome } from './normalize-outcome.js';

export interface PositionCandidate {
  readonly mmsi: number;
  readonly ts: number;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly sog: number | null;
  readonly cog: number | null;
  readonly heading: number | null;
  readonly navStatus: number | null;
  readonly msgType: number;
  readonly source: string;
  /** The time is the receive time, not one the input carried (see PositionReport). */
  readonly timeFromReceipt?: boolean;
}

export interface StaticCandidate extends VesselStaticFields {
  readonly mmsi: number;
  readonly ts: number;
  /** Overall length and beam in metres, for feeds that give those instead of A/B/C/D. */
  readonly length?: number | null;
  readonly width?: number | null;
  readonly msgType: number;
  readonly source: string;
}

export type ValidationContext = TimeContext;

/** Type 9 reports speed in whole knots up to 1022 (1023 = not available). */
const SAR_AIRCRAFT_MAX_SOG = 1022;

function describeTime(reason: RejectionReason, ts: number, ctx: ValidationContext): string {
  if (reason === 'bad_time') return `time is not a valid instant (${String(ts)})`;
  const iso = new Date(ts).toISOString();
  if (reason === 'time_before_1990') return `time ${iso} is before 1990-01-01`;
  return `time ${iso} is more than ${ctx.maxFutureMs} ms after now (${new Date(ctx.nowMs).toISOString()})`;
}

// One scratch list for the out-of-range fields of the report being built: building is synchronous,
// so reports never interleave, and most reports have none (no array per report).
const scratch: RangeField[] = [];
const oor = (f: RangeField): void => {
  scratch.push(f);
};

function takeOutOfRange(): readonly RangeField[] {
  return scratch.length === 0 ? NO_FIELDS : scratch.splice(0);
}

/** MMSI and time checks shared by positions and statics; a non-null result ends the record. */
function checkIdentity(mmsi: number, ts: number, origin: Origin, ctx: ValidationContext): NormalizeOutcome | null {
  const cls = classifyMmsi(mmsi);
  if (cls === 'invalid') {
    return rejectedOutcome({ reason: 'bad_mmsi', detail: `MMSI ${String(mmsi)} is not a valid 9-digit identity`, origin });
  }
  if (!isTrackedClass(cls)) return ignoredOutcome(`mmsi:${cls}`);
  const timeReason = validateTime(ts, ctx);
  if (timeReason !== null) return rejectedOutcome({ reason: timeReason, detail: describeTime(timeReason, ts, ctx), origin });
  return null;
}

export function buildPosition(c: PositionCandidate, origin: Origin, ctx: ValidationContext): NormalizeOutcome {
  const stop = checkIdentity(c.mmsi, c.ts, origin, ctx);
  if (stop !== null) return stop;
  const posReason = validatePosition(c.lat, c.lon);
  if (posReason !== null) {
    const detail =
      posReason === 'position_not_available'
        ? `position not available (lat ${String(c.lat)}, lon ${String(c.lon)})`
        : `position out of range (lat ${String(c.lat)}, lon ${String(c.lon)})`;
    return rejectedOutcome({ reason: posReason, detail, origin });
  }
  const msg: PositionReport = {
    kind: 'position',
    mmsi: c.mmsi,
    ts: c.ts,
    lat: c.lat as number,
    lon: c.lon as number,
    sog: cleanSog(c.sog, oor, c.msgType === 9 ? SAR_AIRCRAFT_MAX_SOG : undefined),
    cog: cleanCog(c.cog, oor),
    heading: cleanHeading(c.heading, oor),
    navStatus: cleanNavStatus(c.navStatus, oor),
    source: stripControlChars(c.source, 'source', oor),
    msgType: c.msgType,
    origin,
  };
  // Only on the (rare) time-less inputs, so every timed message keeps the plain shape.
  const out: PositionReport = c.timeFromReceipt === true ? { ...msg, timeFromReceipt: true } : msg;
  return { messages: [out], rejection: null, ignored: false, ignoredKind: null, outOfRange: takeOutOfRange() };
}

export function buildStatic(c: StaticCandidate, origin: Origin, ctx: ValidationContext): NormalizeOutcome {
  const stop = checkIdentity(c.mmsi, c.ts, origin, ctx);
  if (stop !== null) return stop;
  const msg: Mutable<StaticReport> = {
    kind: 'static',
    mmsi: c.mmsi,
    ts: c.ts,
    name: cleanText(c.name, 'name', oor),
    callsign: cleanText(c.callsign, 'callsign', oor),
    imo: cleanImo(c.imo, oor),
    shipType: cleanShipType(c.shipType, oor),
    // Field widths in AIS type 5: A and B are 9 bits (0..511), C and D 6 bits (0..63).
    toBow: cleanDimension(c.toBow, 511, oor),
    toStern: cleanDimension(c.toStern, 511, oor),
    toPort: cleanDimension(c.toPort, 63, oor),
    toStarboard: cleanDimension(c.toStarboard, 63, oor),
    draught: cleanDraught(c.draught, oor),
    destination: cleanText(c.destination, 'destination', oor),
    source: stripControlChars(c.source, 'source', oor),
    msgType: c.msgType,
    origin,
  };
  // Assigned after the literal, not spread into it: spreading into a literal this wide makes V8
  // fall back to slow dictionary objects (measured: 30x slower readers).
  const length = cleanDimension(c.length ?? null, 1022, oor, false);
  const width = cleanDimension(c.width ?? null, 126, oor, false);
  if (length !== null) msg.length = length;
  if (width !== null) msg.width = width;
  return { messages: [msg], rejection: null, ignored: false, ignoredKind: null, outOfRange: takeOutOfRange() };
}

/** `T` without its readonly marks: for objects built (or reused) field by field. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** True when a static report carries nothing but identity (all fields null): not worth storing. */
export function isEmptyStatic(m: NormalizedMessage): boolean {
  return (
    m.kind === 'static' &&
    m.name === null &&
    m.callsign === null &&
    m.imo === null &&
    m.shipType === null &&
    m.toBow === null &&
    m.toStern === null &&
    m.toPort === null &&
    m.toStarboard === null &&
    m.draught === null &&
    m.destination === null &&
    (m.length ?? null) === null &&
    (m.width ?? null) === null
  );
}

/**
 * One record that carries a position and static data (type 19, CSV rows, AISHub objects): the
 * static part is dropped when it holds nothing, and when both parts fail for the same identity
 * reason only one rejection is reported.
 */
export function combineRecord(position: NormalizeOutcome, statics: NormalizeOutcome | null): NormalizeOutcome {
  if (statics === null) return position;
  if (statics.messages.length > 0 && statics.messages.every(isEmptyStatic)) return position;
  if (position.rejection !== null && statics.rejection !== null) return position;
  return mergeOutcomes(position, statics);
}
