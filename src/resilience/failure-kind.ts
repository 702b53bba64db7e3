/**
 * Why a write to Redis or PostgreSQL failed, as far as resilience decisions care:
 *
 * - `unavailable`: the dependency could not be reached or is not serving (refused connection,
 *   reset, timeout, shutdown, open breaker). Retrying the same data later will work.
 *   Trips the breaker; never counts toward parking a dead-letter entry.
 * - `rejected`: the dependency answered and refused this data (SQLSTATE class 22/23, a Redis
 *   script error). Retrying the same data will fail again. Does not trip the breaker (the
 *   dependency is healthy); counts toward parking.
 * - `unknown`: anything else. Trips the breaker and counts toward parking, so that neither an
 *   unexplained outage nor an unexplained poison entry can loop forever.
 */
import { BrokenCircuitError, TaskCancelledError } from 'cockatiel';

export type FailureKind = 'unavailable' | 'rejected' | 'unknown';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOENT', // unix socket path gone while the server is down
]);

/** Redis reply prefixes that mean "not serving right now", not "bad data". */
const REDIS_UNAVAILABLE_PREFIXES = ['LOADING', 'READONLY', 'MASTERDOWN', 'BUSY', 'OOM', 'MISCONF', 'CLUSTERDOWN', 'TRYAGAIN', 'NOREPLICAS'];

/** Messages of driver errors that carry no code (pg and ioredis internals). */
const UNAVAILABLE_MESSAGES = [
  'connection terminated',
  'connection is closed',
  "stream isn't writeable",
  'client has encountered a connection error',
  'timeout exceeded when trying to connect',
  'max retries per request',
  'connect etimedout',
  'server closed the connection',
  'the database system is starting up',
  'the database system is shutting down',
  'cannot use a pool after calling end',
];

const SQLSTATE = /^[0-9A-Z]{5}$/;

function fieldOf(err: object, key: string): unknown {
  return (err as Record<string, unknown>)[key];
}

export function classifyFailure(err: unknown): FailureKind {
  if (err instanceof BrokenCircuitError || err instanceof TaskCancelledError) return 'unavailable';
  if (typeof err !== 'object' || err === null) return 'unknown';
  if (err instanceof AggregateError) {
    const kinds = err.errors.map(classifyFailure);
    if (kinds.length > 0 && kinds.every((k) => k === 'unavailable')) return 'unavailable';
  }
  const code = fieldOf(err, 'code');
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return 'unavailable';
    if (SQLSTATE.test(code)) return classifySqlState(code);
  }
  const name = fieldOf(err, 'name');
  const message = String(fieldOf(err, 'message') ?? '');
  if (name === 'MaxRetriesPerRequestError') return 'unavailable';
  if (name === 'ReplyError') {
    if (REDIS_UNAVAILABLE_PREFIXES.some((p) => message.startsWith(p))) return 'unavailable';
    if (message.startsWith('ERR') || message.startsWith('WRONGTYPE')) return 'rejected';
  }
  const lower = message.toLowerCase();
  if (UNAVAILABLE_MESSAGES.some((m) => lower.includes(m))) return 'unavailable';
  const cause = fieldOf(err, 'cause');
  if (cause !== undefined && cause !== err) {
    const k = classifyFailure(cause);
    if (k !== 'unknown') return k;
  }
  return 'unknown';
}

function classifySqlState(code: string): FailureKind {
  const cls = code.slice(0, 2);
  // 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown),
  // 58 system error, 40 transaction rollback (deadlock/serialization: transient by definition).
  if (cls === '08' || cls === '53' || cls === '57' || cls === '58' || cls === '40') return 'unavailable';
  // 22 data exception, 23 integrity constraint violation: this data will never go in.
  if (cls === '22' || cls === '23') return 'rejected';
  return 'unknown';
}

/**
 * A server error from PostgreSQL (node-postgres' DatabaseError): a SQLSTATE code and a severity.
 * Its name is always the bare word `error`, so the SQLSTATE is what tells one from another.
 */
function isPostgresServerError(err: Error): boolean {
  const code = fieldOf(err, 'code');
  return typeof code === 'string' && SQLSTATE.test(code) && typeof fieldOf(err, 'severity') === 'string';
}

/**
 * Short, single-line description for `lastError` fields and logs: `Name: message [code]`, and for
 * a PostgreSQL error `SQLSTATE message` as the server log writes it (`42P05 prepared statement
 * "x" already exists`).
 */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = fieldOf(err, 'code');
    const text = isPostgresServerError(err) ? `${String(code)} ${err.message}` : `${err.name}: ${err.message}${typeof code === 'string' ? ` [${code}]` : ''}`;
    return text.replace(/\s+/g, ' ').slice(0, 500);
  }
  return String(err).slice(0, 500);
}
