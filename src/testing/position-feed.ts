/**
 * Deterministic timed position feeds for end-to-end tests: vessels on straight tracks at
 * constant speed, so any two fixes of a vessel, in any order, imply the same plausible speed and
 * fusion never refuses or demotes one. Each (vessel, slot) has one fixed position, so the same
 * point written by several files or processes is the same row, and the expected history is
 * exactly the set of distinct (mmsi, ts) keys.
 */
import { encodePayload } from '../ais/payload-encoder.js';
import { toSentences } from '../ais/sentence-encoder.js';

export interface FeedPoint {
  readonly mmsi: number;
  readonly ts: number;
  readonly lat: number;
  readonly lon: number;
  readonly sog: number;
  readonly cog: number;
}

export interface TrackOptions {
  /** Time of slot 0, ms since epoch. */
  readonly t0: number;
  /** Time between slots, ms; keep it above fusion's duplicate tolerance (1 s). */
  readonly stepMs: number;
  /** First MMSI; vessel i is `baseMmsi + i`. Default 244 000 000 (MID 244, the Netherlands). */
  readonly baseMmsi?: number;
}

const SPEED_KN = 12;
const METRES_PER_DEGREE_LAT = 111_320;

export function vesselMmsi(index: number, opts: Pick<TrackOptions, 'baseMmsi'> = {}): number {
  return (opts.baseMmsi ?? 244_000_000) + index;
}

/** Vessel `index` at `slot`: heading north at 12 kn from its own start point in the North Sea. */
export function trackPoint(index: number, slot: number, opts: TrackOptions): FeedPoint {
  const ts = opts.t0 + slot * opts.stepMs;
  const northM = (SPEED_KN * 1852 * (slot * opts.stepMs)) / 3_600_000;
  return {
    mmsi: vesselMmsi(index, opts),
    ts,
    lat: 51 + (index % 50) * 0.02 + northM / METRES_PER_DEGREE_LAT,
    lon: 2 + Math.floor(index / 50) * 0.05,
    sog: SPEED_KN,
    cog: 0,
  };
}

/** One line of aisctl's JSONL format. */
export function jsonlPosition(p: FeedPoint, source: string): string {
  return JSON.stringify({
    kind: 'position',
    mmsi: p.mmsi,
    ts: p.ts,
    lat: p.lat,
    lon: p.lon,
    sog: p.sog,
    cog: p.cog,
    heading: p.cog,
    navStatus: 0,
    source,
    msgType: 1,
  });
}

/** One NMEA line (type 1, tag block with `s:` and `c:` in ms): the same point as a receiver sends it. */
export function nmeaPosition(p: FeedPoint, station: string): string {
  const { payload, fillBits } = encodePayload({
    type: 1,
    repeat: 0,
    mmsi: p.mmsi,
    navStatus: 0,
    rotRaw: -128,
    rot: null,
    sog: p.sog,
    accuracy: true,
    lon: p.lon,
    lat: p.lat,
    cog: p.cog,
    heading: p.cog,
    second: Math.floor(p.ts / 1000) % 60,
    maneuver: 0,
    raim: false,
    radio: 0,
  });
  const [line] = toSentences(payload, fillBits, { tagBlock: { station, time: p.ts, timeUnit: 'ms' } });
  return line ?? '';
}

export function pointKey(mmsi: number, ts: number): string {
  return `${mmsi}@${ts}`;
}

/** Fisher-Yates in place. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}

/** Newest time per MMSI of a set of points. */
export function newestByVessel(points: Iterable<FeedPoint>): Map<number, FeedPoint> {
  const newest = new Map<number, FeedPoint>();
  for (const p of points) {
    const cur = newest.get(p.mmsi);
    if (cur === undefined || p.ts > cur.ts) newest.set(p.mmsi, p);
  }
  return newest;
}
