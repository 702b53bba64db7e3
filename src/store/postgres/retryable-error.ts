/** SQLSTATE of a deadlock the server broke by aborting this transaction. */
export const DEADLOCK_DETECTED = '40P01';
/** SQLSTATE of a serialization failure (REPEATABLE READ / SERIALIZABLE conflicts). */
export const SERIALIZATION_FAILURE = '40001';
/** SQLSTATE of a unique_violation (the history writer's plain INSERT meeting a concurrent writer's key; a lost CREATE DATABASE race). */
export const UNIQUE_VIOLATION = '23505';
/** SQLSTATE of a statement cancelled by pg_cancel_backend, a client cancel or statement_timeout. */
export const QUERY_CANCELED = '57014';

export function sqlState(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Errors after which re-running the same transaction is expected to succeed. */
export function isRetryableTransactionError(err: unknown): boolean {
  const s = sqlState(err);
  return s === DEADLOCK_DETECTED || s === SERIALIZATION_FAILURE;
}
