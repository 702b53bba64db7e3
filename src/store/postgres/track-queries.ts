/**
 * A vessel's track over a time range, read page by page in time order (keyset pagination on
 * the (vessel_id, ts) primary key): constant memory whatever the length of the history, and
 * no transaction held open between pages. docs/read-api.md has the measurements that chose
 * keyset pages over a server-side cursor.
 */
import type pg from 'pg';
import { loadSql } from './sql-file.js';
import type { StoredPosition } from './vessel-queries.js';

const TRACK_VESSEL = loadSql(new URL('./sql/track-vessel.sql', import.meta.url), 'aisctl_track_vessel');
const TRACK_PAGE = loadSql(new URL('./sql/track-page.sql', import.meta.url), 'aisctl_track_page');

/** Half-open [fromMs, toMs), ms since epoch. */
export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** West, south, east, north in degrees; west > east crosses the antimeridian. */
export interface BBox {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

export interface TrackVessel {
  readonly id: number;
  readonly mmsi: number;
}

export interface TrackReadOptions {
  /** Rows per round trip. Default 5,000. */
  readonly pageSize?: number;
  /** Stop after this many positions. Default: none. */
  readonly limit?: number;
  readonly bbox?: BBox | null;
}

interface TrackDbRow {
  ts_us: number;
  lat: number;
  lon: number;
  sog: number | null;
  cog: number | null;
  heading: number | null;
  nav_status: number | null;
  source: string;
  score: number;
}

/** The vessel with this MMSI, null when unknown or soft-deleted. */
export async function findTrackVessel(pool: pg.Pool, mmsi: number): Promise<TrackVessel | null> {
  const r = await pool.query<{ id: string; mmsi: number }>(TRACK_VESSEL.text, [mmsi]);
  const row = r.rows[0];
  return row === undefined ? null : { id: Number(row.id), mmsi: row.mmsi };
}

export function bboxParams(bbox: BBox | null | undefined): (number | null)[] {
  return bbox ? [bbox.west, bbox.south, bbox.east, bbox.north] : [null, null, null, null];
}

/**
 * The vessel's positions with fromMs <= ts < toMs, oldest first, one array per page. Stopping
 * early (break out of for-await) costs nothing: no cursor or transaction is left behind.
 */
export async function* trackPages(pool: pg.Pool, vesselId: number, range: TimeRange, opts: TrackReadOptions = {}): AsyncGenerator<StoredPosition[]> {
  const pageSize = Math.max(1, Math.trunc(opts.pageSize ?? 5000));
  let left = opts.limit ?? Number.POSITIVE_INFINITY;
  // Microseconds: the column's precision, so a page starts exactly after the previous one's last row.
  let afterUs = range.fromMs * 1000 - 1;
  const untilUs = range.toMs * 1000;
  const box = bboxParams(opts.bbox);
  while (left > 0) {
    const n = Math.min(pageSize, left);
    const r = await pool.query<TrackDbRow>(TRACK_PAGE.text, [vesselId, afterUs, untilUs, n, ...box]);
    const rows = r.rows;
    if (rows.length === 0) return;
    afterUs = rows[rows.length - 1]?.ts_us ?? afterUs;
    left -= rows.length;
    yield rows.map((p) => ({
      ts: Math.floor(p.ts_us / 1000),
      lat: p.lat,
      lon: p.lon,
      sog: p.sog,
      cog: p.cog,
      heading: p.heading,
      navStatus: p.nav_status,
      source: p.source,
      score: p.score,
    }));
    if (rows.length < n) return;
  }
}
