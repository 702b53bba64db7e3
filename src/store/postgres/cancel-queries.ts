import type pg from 'pg';
import { loadSql } from './sql-file.js';

const CANCEL_ACTIVE = loadSql(new URL('./sql/cancel-active-queries.sql', import.meta.url), 'aisctl_cancel_active_queries');

/**
 * Asks the server to cancel every running statement of the sessions named `applicationName` in
 * the pool's database (pg_cancel_backend). Each cancelled statement fails with SQLSTATE 57014
 * and its transaction rolls back. `pool` must not be the pool whose sessions are cancelled: when
 * those are all busy, a cancel could not get a connection. A session between two statements is
 * idle and is not touched, so callers repeat this until the transactions they wait for ended.
 */
export async function cancelActiveQueries(pool: pg.Pool, applicationName: string): Promise<number> {
  const r = await pool.query<{ cancelled: number }>(CANCEL_ACTIVE.text, [applicationName]);
  return r.rows[0]?.cancelled ?? 0;
}
