/**
 * One simulated vessel: identity, static data and a plausible track. Pure: randomness comes in
 * as a seeded `RandomSource` and time as milliseconds, so a seed always replays the same voyage.
 *
 * Motion is dead reckoning on a sphere (good to metres over the seconds between reports), with
 * course and speed easing toward targets that change now and then, so tracks turn slowly the way
 * ships do instead of jumping. Vessels that approach the edge of their area turn back inside.
 */
import type { RandomSource } from '../utils/seeded-random.js';

export interface BoundingBox {
  readonly minLat: number;
  readonly maxLat: number;
  readonly minLon: number;
  readonly maxLon: number;
}

/** Southern North Sea approaches to Rotterdam / Antwerp: busy, mixed traffic. */
export const DEFAULT_AREA: BoundingBox = { minLat: 51.0, maxLat: 54.0, minLon: 2.0, maxLon: 6.0 };

export interface VesselStatic {
  readonly shipName: string;
  readonly callsign: string;
  /** null for class B and small craft, which rarely have one. */
  readonly imo: number | null;
  readonly shipType: number;
  readonly toBow: number;
  readonly toStern: number;
  readonly toPort: number;
  readonly toStarboard: number;
  /** Metres. */
  readonly draught: number;
  readonly destination: string;
  readonly eta: { readonly month: number; readonly day: number; readonly hour: number; readonly minute: number };
}

export interface VesselTrack {
  readonly mmsi: number;
  readonly classB: boolean;
  readonly statics: VesselStatic;
  readonly area: BoundingBox;
  lat: number;
  lon: number;
  /** Knots. */
  sog: number;
  /** Degrees, [0, 360). */
  cog: number;
  /** Degrees, [0, 360); differs from cog by drift. */
  heading: number;
  /** Degrees per minute, positive to starboard. */
  rot: number;
  /** ITU navigational status: 0 under way using engine, 1 at anchor, 5 moored, 7 fishing, 8 sailing. */
  navStatus: number;
  targetCog: number;
  targetSog: number;
  /** Time the state above refers to. */
  tMs: number;
}

/** Maritime identification digits of busy flag states (ITU MID table). */
export const MIDS: readonly number[] = [
  205, 209, 210, 211, 212, 215, 218, 219, 220, 224, 226, 227, 228, 229, 230, 232, 233, 235, 236, 237, 244, 245, 246, 248, 249, 250, 255, 256, 257, 258, 259,
  261, 265, 266, 273, 275, 304, 305, 308, 309, 311, 319, 338, 351, 352, 353, 354, 355, 356, 357, 366, 367, 368, 369, 370, 371, 372, 373, 412, 413, 414, 431,
  440, 441, 477, 525, 533, 538, 563, 564, 565, 566, 636,
];

const NAME_WORDS: readonly string[] = [
  'NORTHERN',
  'STAR',
  'MAERSK',
  'OCEAN',
  'SPIRIT',
  'BALTIC',
  'TRADER',
  'ARCTIC',
  'SUN',
  'HARVEST',
  'EXPRESS',
  'MERIDIAN',
  'PIONEER',
  'ATLANTIC',
  'BREEZE',
  'CORAL',
  'FALCON',
  'NORDIC',
  'PRIDE',
  'AURORA',
  'SEA',
  'WIND',
  'QUEEN',
  'KING',
  'HOPE',
  'ENDEAVOUR',
  'VIKING',
  'HORIZON',
  'GOLDEN',
  'WAVE',
  'SILVER',
  'LADY',
];

const DESTINATIONS: readonly string[] = [
  'NLRTM',
  'ROTTERDAM',
  'BEANR',
  'ANTWERP',
  'DEHAM',
  'HAMBURG',
  'GBFXT',
  'FELIXSTOWE',
  'NLAMS',
  'IJMUIDEN',
  'DEBRV',
  'BREMERHAVEN',
  'GBLON',
  'LONDON GATEWAY',
  'FRDKK',
  'DUNKERQUE',
  'BEZEE',
  'ZEEBRUGGE',
  'NOSVG',
  'FOR ORDERS',
];

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

function pick<T>(rng: RandomSource, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  // Non-empty constant tables: the index is always in range.
  return item as T;
}

function int(rng: RandomSource, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function chars(rng: RandomSource, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet.charAt(Math.floor(rng() * alphabet.length));
  return s;
}

/** A 7-digit IMO number with a valid check digit (weights 7..2 over the first six digits). */
export function makeImo(rng: RandomSource): number {
  const base = int(rng, 100000, 999999);
  let sum = 0;
  let rest = base;
  for (let w = 2; w <= 7; w++) {
    sum += (rest % 10) * w;
    rest = Math.floor(rest / 10);
  }
  return base * 10 + (sum % 10);
}

export function isValidImo(imo: number): boolean {
  if (!Number.isInteger(imo) || imo < 1000000 || imo > 9999999) return false;
  let rest = Math.floor(imo / 10);
  let sum = 0;
  for (let w = 2; w <= 7; w++) {
    sum += (rest % 10) * w;
    rest = Math.floor(rest / 10);
  }
  return sum % 10 === imo % 10;
}

/** A ship-station MMSI `MIDXXXXXX` with a real MID; `taken` keeps them unique per fleet. */
export function makeMmsi(rng: RandomSource, taken: Set<number>): number {
  for (;;) {
    const mmsi = pick(rng, MIDS) * 1_000_000 + int(rng, 1000, 999999);
    if (!taken.has(mmsi)) {
      taken.add(mmsi);
      return mmsi;
    }
  }
}

function makeStatics(rng: RandomSource, classB: boolean, startTimeMs: number): VesselStatic {
  const start = new Date(startTimeMs);
  const eta = new Date(startTimeMs + int(rng, 2, 96) * 3_600_000);
  const name = classB ? pick(rng, NAME_WORDS) + ' ' + int(rng, 1, 99) : pick(rng, NAME_WORDS) + ' ' + pick(rng, NAME_WORDS);
  if (classB) {
    const shipType = pick(rng, [36, 37, 37, 30, 31, 52]);
    const length = int(rng, 6, 24);
    const beam = int(rng, 2, 7);
    const bow = int(rng, 1, length - 1);
    const port = int(rng, 1, beam - 1);
    return {
      shipName: name.slice(0, 20),
      callsign: chars(rng, LETTERS, 2) + chars(rng, DIGITS, 4),
      imo: null,
      shipType,
      toBow: bow,
      toStern: length - bow,
      toPort: port,
      toStarboard: beam - port,
      draught: int(rng, 5, 30) / 10,
      destination: '',
      eta: { month: start.getUTCMonth() + 1, day: start.getUTCDate(), hour: 24, minute: 60 },
    };
  }
  const shipType = pick(rng, [70, 70, 70, 71, 79, 80, 80, 84, 60, 69, 52, 30, 90]);
  const length = shipType === 52 || shipType === 30 ? int(rng, 20, 45) : int(rng, 80, 400);
  const beam = Math.max(6, Math.round(length * (0.12 + rng() * 0.06)));
  const bow = Math.round(length * (0.75 + rng() * 0.15));
  const port = Math.floor(beam / 2);
  return {
    shipName: name.slice(0, 20),
    callsign: chars(rng, LETTERS, 1) + chars(rng, LETTERS + DIGITS, int(rng, 3, 6)),
    imo: makeImo(rng),
    shipType,
    toBow: Math.min(bow, 511),
    toStern: Math.min(length - bow, 511),
    toPort: Math.min(port, 63),
    toStarboard: Math.min(beam - port, 63),
    draught: Math.min(25.5, Math.round(length * (0.03 + rng() * 0.03) * 10) / 10 + 2),
    destination: pick(rng, DESTINATIONS),
    eta: {
      month: eta.getUTCMonth() + 1,
      day: eta.getUTCDate(),
      hour: eta.getUTCHours(),
      minute: eta.getUTCMinutes() - (eta.getUTCMinutes() % 15),
    },
  };
}

export interface VesselTrackOptions {
  readonly mmsi: number;
  readonly classB: boolean;
  readonly area?: BoundingBox;
  readonly startTimeMs: number;
}

export function createVesselTrack(rng: RandomSource, opts: VesselTrackOptions): VesselTrack {
  const area = opts.area ?? DEFAULT_AREA;
  const statics = makeStatics(rng, opts.classB, opts.startTimeMs);
  // Keep a margin so the first turn-back does not start outside the box.
  const lat = area.minLat + (0.1 + rng() * 0.8) * (area.maxLat - area.minLat);
  const lon = area.minLon + (0.1 + rng() * 0.8) * (area.maxLon - area.minLon);
  const roll = rng();
  let navStatus = 0;
  let sog: number;
  if (opts.classB) {
    navStatus = 15;
    sog = roll < 0.25 ? rng() * 0.5 : 3 + rng() * 17;
  } else if (roll < 0.12) {
    navStatus = 1;
    sog = rng() * 0.4;
  } else if (roll < 0.18) {
    navStatus = 5;
    sog = 0;
  } else {
    navStatus = statics.shipType === 30 ? 7 : 0;
    sog = statics.shipType === 30 ? 3 + rng() * 6 : 6 + rng() * 18;
  }
  const cog = rng() * 360;
  return {
    mmsi: opts.mmsi,
    classB: opts.classB,
    statics,
    area,
    lat,
    lon,
    sog,
    cog,
    heading: cog,
    rot: 0,
    navStatus,
    targetCog: cog,
    targetSog: sog,
    tMs: opts.startTimeMs,
  };
}

/** Stationary: at anchor, moored, or drifting below 0.5 kn. */
export function isStationary(track: VesselTrack): boolean {
  return track.navStatus === 1 || track.navStatus === 5 || track.sog < 0.5;
}

/**
 * Nominal report interval (ITU-R M.1371-5 Annex 1, Table 1 and 2).
 * Class A: 3 min at anchor/moored below 3 kn; 10 s at 0-14 kn (3 1/3 s while turning); 6 s at
 * 14-23 kn (2 s while turning); 2 s above 23 kn. Class B (CS): 3 min at or below 2 kn, else 30 s.
 */
export function reportIntervalMs(track: VesselTrack): number {
  if (track.classB) return track.sog <= 2 ? 180_000 : 30_000;
  if ((track.navStatus === 1 || track.navStatus === 5) && track.sog <= 3) return 180_000;
  const turning = Math.abs(track.rot) > 5;
  if (track.sog > 23) return 2_000;
  if (track.sog > 14) return turning ? 2_000 : 6_000;
  return turning ? 3_333 : 10_000;
}

const EARTH_NM_PER_DEG = 60;
const MAX_TURN_DEG_PER_MIN = 20;
const MAX_ACCEL_KN_PER_MIN = 2;

function norm360(deg: number): number {
  const d = deg % 360;
  return d < 0 ? d + 360 : d;
}

/** Signed smallest angle from a to b, in (-180, 180]. */
function angleDiff(a: number, b: number): number {
  const d = norm360(b - a);
  return d > 180 ? d - 360 : d;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Longest stretch simulated step by step; older gaps are skipped (see advanceTrack). */
const MAX_SIMULATED_GAP_MS = 3_600_000;

/**
 * Move the vessel forward to `tMs`, in steps of at most 10 s so turns stay smooth. A gap over an
 * hour (a caller whose clock jumped) is not simulated: the vessel resumes an hour before `tMs`
 * from where it was, which bounds the work per call.
 */
export function advanceTrack(track: VesselTrack, tMs: number, rng: RandomSource): void {
  if (tMs - track.tMs > MAX_SIMULATED_GAP_MS) track.tMs = tMs - MAX_SIMULATED_GAP_MS;
  while (track.tMs < tMs) {
    const dtMs = Math.min(10_000, tMs - track.tMs);
    step(track, dtMs, rng);
    track.tMs += dtMs;
  }
}

function step(track: VesselTrack, dtMs: number, rng: RandomSource): void {
  const dtMin = dtMs / 60_000;
  const stationary = track.navStatus === 1 || track.navStatus === 5;
  const area = track.area;

  // Now and then pick a new leg: roughly one course change per 10 minutes under way.
  if (!stationary && rng() < dtMin / 10) {
    track.targetCog = norm360(track.cog + (rng() - 0.5) * 120);
    const top = track.classB ? 20 : track.statics.shipType === 30 ? 9 : 24;
    track.targetSog = clamp(track.sog + (rng() - 0.5) * 6, track.classB ? 0 : 4, top);
  }
  // Head back toward the middle when close to an edge.
  const marginLat = (area.maxLat - area.minLat) * 0.05;
  const marginLon = (area.maxLon - area.minLon) * 0.05;
  if (
    !stationary &&
    (track.lat < area.minLat + marginLat || track.lat > area.maxLat - marginLat || track.lon < area.minLon + marginLon || track.lon > area.maxLon - marginLon)
  ) {
    const midLat = (area.minLat + area.maxLat) / 2;
    const midLon = (area.minLon + area.maxLon) / 2;
    const dy = midLat - track.lat;
    const dx = (midLon - track.lon) * Math.cos((track.lat * Math.PI) / 180);
    track.targetCog = norm360((Math.atan2(dx, dy) * 180) / Math.PI);
  }

  if (stationary) {
    // Swinging at anchor: slow random drift of heading, crawl below half a knot.
    track.sog = clamp(track.sog + (rng() - 0.5) * 0.1, 0, track.navStatus === 5 ? 0 : 0.4);
    track.heading = norm360(track.heading + (rng() - 0.5) * 2 * dtMin * 10);
    track.rot = 0;
  } else {
    const turn = clamp(angleDiff(track.cog, track.targetCog), -MAX_TURN_DEG_PER_MIN * dtMin, MAX_TURN_DEG_PER_MIN * dtMin);
    track.rot = dtMin > 0 ? turn / dtMin : 0;
    track.cog = norm360(track.cog + turn);
    const accel = clamp(track.targetSog - track.sog, -MAX_ACCEL_KN_PER_MIN * dtMin, MAX_ACCEL_KN_PER_MIN * dtMin);
    track.sog = clamp(track.sog + accel, 0, 30);
    // Wind and current set the bow a few degrees off the ground track.
    track.heading = norm360(track.cog + (rng() - 0.5) * 4);
  }

  const distNm = track.sog * (dtMs / 3_600_000);
  const cogRad = (track.cog * Math.PI) / 180;
  track.lat = clamp(track.lat + (distNm * Math.cos(cogRad)) / EARTH_NM_PER_DEG, -89.9, 89.9);
  const cosLat = Math.max(0.01, Math.cos((track.lat * Math.PI) / 180));
  track.lon += (distNm * Math.sin(cogRad)) / (EARTH_NM_PER_DEG * cosLat);
  if (track.lon > 180) track.lon -= 360;
  if (track.lon < -180) track.lon += 360;
}

/** Where the vessel was `backMs` ago, by reckoning backward along its current course. */
export function positionBefore(track: VesselTrack, backMs: number): { lat: number; lon: number } {
  const distNm = track.sog * (backMs / 3_600_000);
  const cogRad = (track.cog * Math.PI) / 180;
  const lat = clamp(track.lat - (distNm * Math.cos(cogRad)) / EARTH_NM_PER_DEG, -89.9, 89.9);
  const cosLat = Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  let lon = track.lon - (distNm * Math.sin(cogRad)) / (EARTH_NM_PER_DEG * cosLat);
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  return { lat, lon };
}
