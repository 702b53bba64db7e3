/**
 * Decoded AIS message -> normalized reports. Time is the tag block receive time when present,
 * else the caller's receive time (AIS position reports carry only the UTC second, not a date).
 */
import type { Origin } from './message.js';
import type { AisMessage } from '../ais/types.js';
import type { SentenceMeta } from '../ais/nmea-decoder.js';
import type { AisMessageLike } from './ais-input.js';
import { buildPosition, buildStatic, combineRecord, type Mutable, type PositionCandidate, type StaticCandidate } from './report-builder.js';
import { ignoredOutcome, type NormalizeOutcome } from './normalize-outcome.js';
import type { Type24PartCache } from './type24-part-cache.js';

export interface NormalizeAisContext {
  readonly file: string;
  /** Source when the sentence names no station (or always, with `sourceFixed`). */
  readonly source: string;
  /** When true, `source` wins over the tag block station (the user named the source). */
  readonly sourceFixed?: boolean;
  /** Receive time (ms) to use when the input carries no time. */
  readonly fallbackTimeMs: number;
  readonly nowMs: number;
  readonly maxFutureMs: number;
  /**
   * Pairs type 24 parts A and B when the decoder hands over separate parts (NmeaDecoder with
   * mergeType24: false); merged records (partNo null) need none. Without it a part yields what it carries.
   */
  readonly type24?: Type24PartCache;
}

/** AIS types that carry a vessel (or SAR aircraft) position. Type 4/11 (base stations) and 21 (AtoN) do not. */
export const POSITION_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 9, 18, 19, 27]);

function n(v: number | null | undefined): number | null {
  return v === undefined ? null : v;
}

function s(v: string | null | undefined): string | null {
  return v === undefined ? null : v;
}

/**
 * The one position candidate every AIS message is normalized through: buildPosition copies what
 * it keeps, and normalizing is synchronous, so two messages never share it at once. A candidate
 * object per message was about 140 bytes of garbage per position (`bench:ingest`, sampled heap
 * profile).
 */
const candidate: Mutable<PositionCandidate> = {
  mmsi: 0,
  ts: 0,
  lat: null,
  lon: null,
  sog: null,
  cog: null,
  heading: null,
  navStatus: null,
  msgType: 0,
  source: '',
  timeFromReceipt: false,
};

export function normalizeAis(message: AisMessage, meta: SentenceMeta, ctx: NormalizeAisContext): NormalizeOutcome {
  // The union's members differ in which fields they have; read them through the common shape.
  const msg: AisMessageLike = message;
  const origin: Origin = { file: ctx.file, line: meta.line };
  const source = ctx.sourceFixed === true || meta.station === null || meta.station === '' ? ctx.source : meta.station;
  const ts = meta.receivedAt ?? ctx.fallbackTimeMs;
  const type = msg.type;

  let position: NormalizeOutcome | null = null;
  if (POSITION_TYPES.has(type)) {
    const c = candidate;
    c.mmsi = msg.mmsi;
    c.ts = ts;
    c.lat = n(msg.lat);
    c.lon = n(msg.lon);
    c.sog = n(msg.sog);
    c.cog = n(msg.cog);
    c.heading = n(msg.heading);
    // Only types 1-3 and 27 carry a navigational status; class B and SAR aircraft do not.
    c.navStatus = type <= 3 || type === 27 ? n(msg.navStatus) : null;
    c.msgType = type;
    c.source = source;
    c.timeFromReceipt = meta.receivedAt === null;
    // The context is the validation context (its nowMs and maxFutureMs): no copy per message.
    position = buildPosition(c, origin, ctx);
  }

  let staticCandidate: StaticCandidate | null = null;
  if (type === 5 || type === 19) {
    // Explicit literals, no spreads: see buildStatic on V8 dictionary objects.
    staticCandidate = {
      mmsi: msg.mmsi,
      ts,
      msgType: type,
      source,
      name: s(msg.shipName),
      callsign: s(msg.callsign),
      imo: type === 5 ? n(msg.imo) : null,
      shipType: n(msg.shipType),
      toBow: n(msg.toBow),
      toStern: n(msg.toStern),
      toPort: n(msg.toPort),
      toStarboard: n(msg.toStarboard),
      draught: type === 5 ? n(msg.draught) : null,
      destination: type === 5 ? s(msg.destination) : null,
    };
  } else if (type === 24) {
    if (msg.partNo !== null && msg.partNo !== undefined && msg.partNo !== 0 && msg.partNo !== 1) {
      return ignoredOutcome('ais_type:24_reserved_part');
    }
    staticCandidate = type24Candidate(msg, ts, source, ctx.type24);
  }

  if (position === null && staticCandidate === null) return ignoredOutcome(`ais_type:${type}`);
  const statics = staticCandidate === null ? null : buildStatic(staticCandidate, origin, ctx);
  if (position === null) return statics as NormalizeOutcome;
  return combineRecord(position, statics);
}

function type24Candidate(msg: AisMessageLike, ts: number, source: string, partCache: Type24PartCache | undefined): StaticCandidate {
  const partA = { name: s(msg.shipName) };
  const partB = {
    shipType: n(msg.shipType),
    callsign: s(msg.callsign),
    toBow: n(msg.toBow),
    toStern: n(msg.toStern),
    toPort: n(msg.toPort),
    toStarboard: n(msg.toStarboard),
  };
  const isA = msg.partNo === 0;
  const merged =
    msg.partNo === null || msg.partNo === undefined
      ? { a: partA, b: partB }
      : partCache === undefined
        ? isA
          ? { a: partA, b: null }
          : { a: null, b: partB }
        : partCache.add(msg.mmsi, isA ? { a: partA } : { b: partB });
  return {
    mmsi: msg.mmsi,
    ts,
    msgType: 24,
    source,
    imo: null,
    draught: null,
    destination: null,
    name: merged.a?.name ?? null,
    callsign: merged.b?.callsign ?? null,
    shipType: merged.b?.shipType ?? null,
    toBow: merged.b?.toBow ?? null,
    toStern: merged.b?.toStern ?? null,
    toPort: merged.b?.toPort ?? null,
    toStarboard: merged.b?.toStarboard ?? null,
  };
}
