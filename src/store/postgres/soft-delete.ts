import type pg from 'pg';
import { loadSql } from './sql-file.js';

const SOFT_DELETE = loadSql(new URL('./sql/soft-delete-vessel.sql', import.meta.url), 'aisctl_soft_delete_vessel');
const RESTORE = loadSql(new URL('./sql/restore-vessel.sql', import.meta.url), 'aisctl_restore_vessel');

/**
 * Hides a vessel from reads without losing its history. A soft-deleted vessel that reports
 * again stays hidden: its positions and last_seen keep being recorded (ingest never drops data
 * on an operator's flag), and restoreVessel shows it again with everything received meanwhile.
 * Returns false when no vessel has this MMSI.
 */
export async function softDeleteVessel(pool: pg.Pool, mmsi: number): Promise<boolean> {
  return ((await pool.query(SOFT_DELETE.text, [mmsi])).rowCount ?? 0) > 0;
}

/** Undoes softDeleteVessel. Returns false when no vessel has this MMSI. */
export async function restoreVessel(pool: pg.Pool, mmsi: number): Promise<boolean> {
  return ((await pool.query(RESTORE.text, [mmsi])).rowCount ?? 0) > 0;
}

const DELETED_AMONG = loadSql(new URL('./sql/soft-deleted-among.sql', import.meta.url), 'aisctl_soft_deleted_among');

/** The soft-deleted vessels among `mmsis`. */
export async function softDeletedAmong(pool: pg.Pool, mmsis: readonly number[]): Promise<Set<number>> {
  if (mmsis.length === 0) return new Set();
  const r = await pool.query<{ mmsi: number }>(DELETED_AMONG.text, [[...mmsis]]);
  return new Set(r.rows.map((row) => row.mmsi));
}

const DELETED_ALL = loadSql(new URL('./sql/soft-deleted-vessels.sql', import.meta.url), 'aisctl_soft_deleted_vessels');

/** Every soft-deleted vessel's MMSI. */
export async function softDeletedVessels(pool: pg.Pool): Promise<number[]> {
  const r = await pool.query<{ mmsi: number }>(DELETED_ALL.text);
  return r.rows.map((row) => row.mmsi);
}
