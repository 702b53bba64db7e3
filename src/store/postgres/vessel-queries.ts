import type pg from 'pg';
import type { PositionFields, VesselStaticFields } from '../../normalize/message.js';
import { loadSql } from './sql-file.js';

const GET_VESSEL = loadSql(new URL('./sql/get-vessel.sql', import.meta.url), 'aisctl_get_vessel');
const LAST_POSITIONS = loadSql(new URL('./sql/last-positions.sql', import.meta.url), 'aisctl_last_positions');
const COUNT_IN_RANGE = loadSql(new URL('./sql/count-positions-in-range.sql', import.meta.url), 'aisctl_count_positions_in_range');

export interface VesselRecord extends VesselStaticFields {
  readonly id: number;
  readonly mmsi: number;
  /** ms since epoch */
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly staticUpdatedAt: number | null;
  readonly deletedAt: number | null;
}

export interface StoredPosition extends PositionFields {
  readonly source: string;
  readonly score: number;
}

export interface ReadOptions {
  /** Also return soft-deleted vessels (hidden by default). */
  readonly includeDeleted?: boolean;
}

/** A `vessels` row as node-postgres returns it (bigint id as text). */
export interface VesselDbRow {
  id: string;
  mmsi: number;
  name: string | null;
  callsign: string | null;
  imo: number | null;
  ship_type: number | null;
  to_bow: number | null;
  to_stern: number | null;
  to_port: number | null;
  to_starboard: number | null;
  draught: number | null;
  destination: string | null;
  first_seen: Date;
  last_seen: Date;
  static_updated_at: Date | null;
  deleted_at: Date | null;
}

/** The vessel with this MMSI, or null if unknown or soft-deleted. */
export async function getVessel(pool: pg.Pool, mmsi: number, opts: ReadOptions = {}): Promise<VesselRecord | null> {
  const r = await pool.query<VesselDbRow>(GET_VESSEL.text, [mmsi, opts.includeDeleted ?? false]);
  const v = r.rows[0];
  return v ? toVesselRecord(v) : null;
}

export function toVesselRecord(v: VesselDbRow): VesselRecord {
  return {
    id: Number(v.id),
    mmsi: v.mmsi,
    name: v.name,
    callsign: v.callsign,
    imo: v.imo,
    shipType: v.ship_type,
    toBow: v.to_bow,
    toStern: v.to_stern,
    toPort: v.to_port,
    toStarboard: v.to_starboard,
    draught: v.draught,
    destination: v.destination,
    firstSeen: v.first_seen.getTime(),
    lastSeen: v.last_seen.getTime(),
    staticUpdatedAt: v.static_updated_at?.getTime() ?? null,
    deletedAt: v.deleted_at?.getTime() ?? null,
  };
}

/** The newest `limit` positions of a vessel, newest first; empty for unknown or soft-deleted vessels. */
export async function lastPositions(pool: pg.Pool, mmsi: number, limit: number, opts: ReadOptions = {}): Promise<StoredPosition[]> {
  const n = Math.max(0, Math.min(Math.trunc(limit), 100_000));
  const r = await pool.query<{
    ts: Date;
    lat: number;
    lon: number;
    sog: number | null;
    cog: number | null;
    heading: number | null;
    nav_status: number | null;
    source: string;
    score: number;
  }>(LAST_POSITIONS.text, [mmsi, n, opts.includeDeleted ?? false]);
  return r.rows.map((p) => ({
    ts: p.ts.getTime(),
    lat: p.lat,
    lon: p.lon,
    sog: p.sog,
    cog: p.cog,
    heading: p.heading,
    navStatus: p.nav_status,
    source: p.source,
    score: p.score,
  }));
}

/** Stored positions of vessels with mmsiFrom <= mmsi < mmsiTo and fromMs <= ts < toMs. */
export async function countPositionsInRange(pool: pg.Pool, range: { mmsiFrom: number; mmsiTo: number; fromMs: number; toMs: number }): Promise<number> {
  const r = await pool.query<{ n: string }>(COUNT_IN_RANGE.text, [range.mmsiFrom, range.mmsiTo, range.fromMs, range.toMs]);
  return Number(r.rows[0]?.n ?? 0);
}
