import pg from 'pg';

export interface PoolOptions {
  /** Connections in the pool. Keep the sum over all processes under the server's max_connections. */
  readonly max?: number;
  readonly idleTimeoutMillis?: number;
  readonly connectionTimeoutMillis?: number;
  /** Server-side statement_timeout: a stuck statement fails instead of holding locks forever. */
  readonly statementTimeoutMs?: number;
  readonly applicationName?: string;
  readonly keepAlive?: boolean;
  /** Called when an idle pooled connection fails (e.g. server restart); default: ignored. */
  readonly onIdleError?: (err: Error) => void;
}

export const DEFAULT_POOL_OPTIONS = {
  max: 10,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 10_000,
  statementTimeoutMs: 60_000,
  applicationName: 'aisctl',
  keepAlive: true,
} as const satisfies Required<Omit<PoolOptions, 'onIdleError'>>;

/**
 * A pg pool with the settings aisctl relies on. `application_name` makes aisctl's sessions
 * recognisable in pg_stat_activity and in deadlock reports. Behind PgBouncer in transaction
 * mode, also pass `namedStatements: false` to the history writer (see docs/storage.md).
 */
export function createPool(url: string, opts: PoolOptions = {}): pg.Pool {
  const o = { ...DEFAULT_POOL_OPTIONS, ...opts };
  const pool = new pg.Pool({
    connectionString: url,
    max: o.max,
    idleTimeoutMillis: o.idleTimeoutMillis,
    connectionTimeoutMillis: o.connectionTimeoutMillis,
    statement_timeout: o.statementTimeoutMs,
    application_name: o.applicationName,
    keepAlive: o.keepAlive,
  });
  // An idle client losing its connection (server restart) emits on the pool; without a listener
  // Node would crash the process. The next checkout gets a fresh connection.
  pool.on('error', (err) => opts.onIdleError?.(err));
  // A checked-out client has no pool listener: if the server goes away between two of its
  // queries (a fast shutdown terminates every backend), it emits 'error' itself, which would
  // crash the process. The failure reaches the writer through its next query instead, which
  // releases the client as broken.
  pool.on('connect', (client) => client.on('error', (err) => opts.onIdleError?.(err)));
  return pool;
}
