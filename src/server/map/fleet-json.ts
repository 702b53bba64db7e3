/**
 * The live fleet as the map reads it: one array per field (columns) instead of one object per
 * vessel, so 50,000 vessels are a few hundred kilobytes of JSON that the page decodes once into
 * typed arrays. Positions are rounded to 1e-5 degrees (about a metre), enough for any zoom the
 * map offers.
 */
import type { LiveFleet, LiveVessel } from '../../store/redis/live-fleet.js';

export interface FleetBox {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

export interface FleetJson {
  /** Server time (ms) the ages are relative to. */
  readonly time: number;
  /** Vessels in the hot state's active index (static-only ones included). */
  readonly total: number;
  /** Live vessels with a position, read for this answer (all of them unless `truncated`). */
  readonly live: number;
  /** Vessels in this answer. */
  readonly count: number;
  /** Some vessels in the box (or read) were left out by the cap. */
  readonly truncated: boolean;
  readonly mmsi: number[];
  readonly lat: number[];
  readonly lon: number[];
  /** Degrees; heading when reported, else course over ground, else null. */
  readonly dir: (number | null)[];
  readonly sog: (number | null)[];
  readonly shipType: (number | null)[];
  /** Seconds since the last report. */
  readonly age: number[];
  readonly name: (string | null)[];
}

export function inBox(box: FleetBox, lat: number, lon: number): boolean {
  if (lat < box.south || lat > box.north) return false;
  // W > E: the box crosses the antimeridian.
  return box.west <= box.east ? lon >= box.west && lon <= box.east : lon >= box.west || lon <= box.east;
}

const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;

/** AIS "not available" heading is 511, course 360; the reader already maps them to null. */
export function directionOf(v: Pick<LiveVessel, 'heading' | 'cog'>): number | null {
  if (v.heading !== null && v.heading >= 0 && v.heading < 360) return v.heading;
  if (v.cog !== null && v.cog >= 0 && v.cog < 360) return v.cog;
  return null;
}

export interface FleetFilter {
  readonly box: FleetBox | null;
  /** Leave out vessels whose last report is older; null keeps every live vessel. */
  readonly maxAgeMs: number | null;
  readonly limit: number;
}

export function fleetJson(fleet: LiveFleet, filter: FleetFilter, nowMs: number): FleetJson {
  const { box, maxAgeMs, limit } = filter;
  const out = { mmsi: [] as number[], lat: [] as number[], lon: [] as number[], dir: [] as (number | null)[] };
  const sog: (number | null)[] = [];
  const shipType: (number | null)[] = [];
  const age: number[] = [];
  const name: (string | null)[] = [];
  let truncated = fleet.truncated;
  for (const v of fleet.vessels) {
    if (box !== null && !inBox(box, v.lat, v.lon)) continue;
    if (maxAgeMs !== null && nowMs - v.ts > maxAgeMs) continue;
    if (out.mmsi.length >= limit) {
      truncated = true;
      break;
    }
    out.mmsi.push(v.mmsi);
    out.lat.push(round5(v.lat));
    out.lon.push(round5(v.lon));
    out.dir.push(directionOf(v));
    sog.push(v.sog);
    shipType.push(v.shipType);
    age.push(Math.max(0, Math.round((nowMs - v.ts) / 1000)));
    name.push(v.name);
  }
  return { time: nowMs, total: fleet.total, live: fleet.vessels.length, count: out.mmsi.length, truncated, ...out, sog, shipType, age, name };
}
