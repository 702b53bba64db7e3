/**
 * Reads for `aisctl export`: every position of a time range in time order (then MMSI), for
 * any number of vessels, in constant client and server memory.
 *
 * There is no B-tree on ts (each index costs every insert), so one ORDER BY ts over the whole
 * range would sort all of it before the first row. Instead the range is read in consecutive
 * time windows, each a server-side cursor (DECLARE/FETCH) over a BRIN-found, sorted window,
 * all in one REPEATABLE READ transaction so the windows see one snapshot. Window lengths adapt
 * to the density of the data: each next window aims at `targetWindowRows` from the rate of the
 * last one, growing at most 8-fold per step (a year of sparse data takes a handful of windows).
 */
import type pg from 'pg';
import type { VesselStaticFields } from '../../normalize/message.js';
import { loadSql } from './sql-file.js';
import { bboxParams, type BBox, type TimeRange, type TrackVessel } from './track-queries.js';

const BEGIN = loadSql(new URL('./sql/export-begin.sql', import.meta.url), 'aisctl_export_begin');
const SETTINGS = loadSql(new URL('./sql/export-settings.sql', import.meta.url), 'aisctl_export_settings');
const DECLARE = loadSql(new URL('./sql/export-window.sql', import.meta.url), 'aisctl_export_window');
const FETCH = loadSql(new URL('./sql/export-fetch.sql', import.meta.url), 'aisctl_export_fetch');
const CLOSE = loadSql(new URL('./sql/export-close.sql', import.meta.url), 'aisctl_export_close');
const VESSELS_PAGE = loadSql(new URL('./sql/export-vessels-page.sql', import.meta.url), 'aisctl_export_vessels_page');

/** Rows per FETCH; must match export-fetch.sql. */
export const EXPORT_FETCH_ROWS = 5000;

export interface ExportFilter extends TimeRange {
  /** Only these vessels; null or absent: all. */
  readonly mmsis?: readonly number[] | null;
  readonly bbox?: BBox | null;
}

export interface ExportRow {
  readonly mmsi: number;
  /** ms since epoch */
  readonly ts: number;
  readonly lat: number;
  readonly lon: number;
  readonly sog: number | null;
  readonly cog: number | null;
  readonly heading: number | null;
  readonly navStatus: number | null;
  readonly source: string;
  /** The vessel's current static data (the vessels row), the same on each of its rows. */
  readonly statics: VesselStaticFields & { readonly updatedMs: number | null };
}

export interface ExportReadOptions {
  /** Rows a window aims at. Default 200,000. */
  readonly targetWindowRows?: number;
  /** Length of the first window. Default 1 hour. */
  readonly firstWindowMs?: number;
  /** Sort memory of a window (PostgreSQL work_mem). Default 64MB. */
  readonly workMem?: string;
  /** statement_timeout of each FETCH, ms. Default 10 minutes. */
  readonly statementTimeoutMs?: number;
  /** Called after each window, for tests and progress. */
  readonly onWindow?: (window: { fromMs: number; toMs: number; rows: number }) => void;
}

interface ExportDbRow {
  mmsi: number;
  ts_ms: number;
  lat: number;
  lon: number;
  sog: number | null;
  cog: number | null;
  heading: number | null;
  nav_status: number | null;
  source: string;
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
  static_ms: number | null;
}

const MAX_GROWTH = 8;
const MIN_WINDOW_MS = 1000;

/** The next window's length: the last window's row rate scaled to the target, within [1 s, 8x]. */
export function nextWindowMs(lastMs: number, lastRows: number, targetRows: number): number {
  const grown = lastMs * MAX_GROWTH;
  if (lastRows <= 0) return grown;
  return Math.max(MIN_WINDOW_MS, Math.min(grown, Math.floor((lastMs * targetRows) / lastRows)));
}

function mmsiParam(mmsis: readonly number[] | null | undefined): number[] | null {
  return mmsis === null || mmsis === undefined ? null : [...mmsis];
}

function toExportRow(r: ExportDbRow): ExportRow {
  return {
    mmsi: r.mmsi,
    ts: Math.floor(r.ts_ms),
    lat: r.lat,
    lon: r.lon,
    sog: r.sog,
    cog: r.cog,
    heading: r.heading,
    navStatus: r.nav_status,
    source: r.source,
    statics: {
      name: r.name,
      callsign: r.callsign,
      imo: r.imo,
      shipType: r.ship_type,
      toBow: r.to_bow,
      toStern: r.to_stern,
      toPort: r.to_port,
      toStarboard: r.to_starboard,
      draught: r.draught,
      destination: r.destination,
      updatedMs: r.static_ms === null ? null : Math.floor(r.static_ms),
    },
  };
}

/**
 * The filter's positions in time order (then MMSI), a page at a time. The transaction and its
 * connection are released when the loop ends, also when the consumer stops early.
 */
export async function* positionsByTime(pool: pg.Pool, filter: ExportFilter, opts: ExportReadOptions = {}): AsyncGenerator<ExportRow[]> {
  const target = Math.max(EXPORT_FETCH_ROWS, opts.targetWindowRows ?? 200_000);
  const client = await pool.connect();
  let broken = false;
  let open = false;
  try {
    await client.query(BEGIN.text);
    open = true;
    await client.query(SETTINGS.text, [opts.workMem ?? '64MB', String(opts.statementTimeoutMs ?? 600_000)]);
    const mmsis = mmsiParam(filter.mmsis);
    const box = bboxParams(filter.bbox);
    let from = filter.fromMs;
    let span = Math.max(MIN_WINDOW_MS, opts.firstWindowMs ?? 3_600_000);
    while (from < filter.toMs) {
      const to = Math.min(filter.toMs, from + span);
      await client.query(DECLARE.text, [from, to, mmsis, ...box]);
      let rows = 0;
      for (;;) {
        const r = await client.query<ExportDbRow>(FETCH.text);
        if (r.rows.length > 0) {
          rows += r.rows.length;
          yield r.rows.map(toExportRow);
        }
        if (r.rows.length < EXPORT_FETCH_ROWS) break;
      }
      await client.query(CLOSE.text);
      opts.onWindow?.({ fromMs: from, toMs: to, rows });
      span = nextWindowMs(to - from, rows, target);
      from = to;
    }
    await client.query('COMMIT');
    open = false;
  } finally {
    if (open) {
      // The consumer stopped early (or a query failed): end the read-only transaction.
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
    }
    client.release(broken);
  }
}

/** Vessels with a position in the filter's time range (and MMSI list), in MMSI order, a page at a time. */
export async function* vesselsWithPositions(pool: pg.Pool, filter: ExportFilter, pageSize = 1000): AsyncGenerator<(TrackVessel & { name: string | null })[]> {
  let after = -1;
  const mmsis = mmsiParam(filter.mmsis);
  for (;;) {
    const r = await pool.query<{ id: string; mmsi: number; name: string | null }>(VESSELS_PAGE.text, [filter.fromMs, filter.toMs, after, pageSize, mmsis]);
    if (r.rows.length === 0) return;
    after = r.rows[r.rows.length - 1]?.mmsi ?? after;
    yield r.rows.map((v) => ({ id: Number(v.id), mmsi: v.mmsi, name: v.name }));
    if (r.rows.length < pageSize) return;
  }
}
