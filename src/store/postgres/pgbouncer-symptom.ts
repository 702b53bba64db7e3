/**
 * What PostgreSQL answers when named (prepared) statements go through PgBouncer in transaction
 * pooling: the server connection a statement lands on was already given that name by another
 * client (42P05 duplicate_prepared_statement), or never saw this client's PREPARE (26000
 * invalid_sql_statement_name). Both mean the same fix, `--pgbouncer`; neither is the data's
 * fault, so retrying the batch as it is fails again.
 */
import { sqlState } from './retryable-error.js';

export const DUPLICATE_PREPARED_STATEMENT = '42P05';
export const INVALID_SQL_STATEMENT_NAME = '26000';

export const PGBOUNCER_HINT = 'PostgreSQL looks like PgBouncer in transaction mode: pass --pgbouncer (or AISCTL_PGBOUNCER=1)';

/** Named statements failing because connections are shared: what the summary and doctor report. */
export interface PgBouncerDiagnosis {
  readonly problem: 'pgbouncer_transaction_pooling';
  /** SQLSTATE of the first such failure: 42P05 or 26000. */
  readonly sqlState: string;
  /** The first such failure, one line (`42P05 prepared statement "x" already exists`). */
  readonly firstError: string;
  /** Writes to PostgreSQL that failed this way. */
  readonly failures: number;
  readonly hint: string;
}

/** 42P05 or 26000 when `err`, or an error it wraps (`cause`), is one of them; else null. */
export function pgBouncerSymptom(err: unknown): string | null {
  let e: unknown = err;
  // Bounded: a cause chain is short, and a cyclic one must not hang the write path.
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const code = sqlState(e);
    if (code === DUPLICATE_PREPARED_STATEMENT || code === INVALID_SQL_STATEMENT_NAME) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
