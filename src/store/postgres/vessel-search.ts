/**
 * Vessel search by name, call sign, IMO or MMSI prefix (`aisctl search`, GET /v1/search).
 * The text is turned into typed, bound parameters here (an MMSI range, an IMO, an escaped
 * LIKE pattern); search-vessels.sql says which index serves each.
 */
import type pg from 'pg';
import { loadSql } from './sql-file.js';
import { toVesselRecord, type VesselDbRow, type VesselRecord } from './vessel-queries.js';

const SEARCH = loadSql(new URL('./sql/search-vessels.sql', import.meta.url), 'aisctl_search_vessels');

export const SEARCH_MIN_CHARS = 2;
export const SEARCH_MAX_CHARS = 64;
export const SEARCH_MAX_RESULTS = 100;

export interface SearchTerms {
  /** [mmsiFrom, mmsiTo): the MMSIs that start with the text's digits (as 9-digit numbers); empty (-1, -1) when the text is not 1-9 digits. */
  readonly mmsiFrom: number;
  readonly mmsiTo: number;
  /** -1 unless the text is an IMO number (7 digits, `IMO` prefix allowed). */
  readonly imo: number;
  /** Upper-cased text with LIKE's wildcards and escape character escaped. */
  readonly pattern: string;
}

export interface SearchHit extends VesselRecord {
  /** 0 exact (MMSI, IMO, call sign or whole name), 1 prefix, 2 name contains the text. */
  readonly rank: 0 | 1 | 2;
}

/** Whitespace runs become one space; the caller checks the length against SEARCH_MIN/MAX_CHARS. */
export function normalizeSearchText(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

export function searchTerms(text: string): SearchTerms {
  const t = normalizeSearchText(text);
  let mmsiFrom = -1;
  let mmsiTo = -1;
  if (/^\d{1,9}$/.test(t)) {
    // MMSIs are 9-digit identifiers stored as integers, so leading zeros (coast stations,
    // 00MIDxxxx) are part of the prefix: '0023' covers 002300000..002399999.
    const scale = 10 ** (9 - t.length);
    mmsiFrom = Number(t) * scale;
    mmsiTo = (Number(t) + 1) * scale;
  }
  const imoMatch = /^(?:IMO\s?)?(\d{7})$/i.exec(t);
  const imo = imoMatch?.[1] === undefined ? -1 : Number(imoMatch[1]);
  const pattern = t.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return { mmsiFrom, mmsiTo, imo, pattern };
}

/** Matching live (not soft-deleted) vessels, best matches first. */
export async function searchVessels(pool: pg.Pool, text: string, limit: number): Promise<SearchHit[]> {
  const t = searchTerms(text);
  const n = Math.max(1, Math.min(Math.trunc(limit), SEARCH_MAX_RESULTS));
  // Unnamed on purpose: planned with the values, so LIKE 'TEXT%' can use the prefix index.
  const r = await pool.query<VesselDbRow & { rank: number }>(SEARCH.text, [t.mmsiFrom, t.mmsiTo, t.imo, t.pattern, n]);
  return r.rows.map((row) => ({ ...toVesselRecord(row), rank: row.rank === 0 ? 0 : row.rank === 1 ? 1 : 2 }));
}
