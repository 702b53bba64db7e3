/**
 * A deadline for a promise whose operation cannot be cancelled (a Redis command already sent).
 * The caller stops waiting; the operation may still complete, which is why every write it guards
 * is idempotent.
 */
export class OperationTimeoutError extends Error {
  override readonly name = 'OperationTimeoutError';
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`operation timed out after ${ms} ms`);
  }
}

/** Rejects after `ms` (the operation itself keeps running; callers rely on idempotency). */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  if (!(ms > 0)) return p;
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OperationTimeoutError(ms)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
