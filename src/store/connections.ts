/**
 * Opening Redis and PostgreSQL for a command, failing fast with one clear line (what, where,
 * what to do next) instead of a driver stack trace or an endless reconnect loop.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { PoolOptions } from './postgres/pool.js';

/** A dependency could not be reached or failed: the CLI prints the one line and exits 1. */
export class DependencyError extends Error {
  override readonly name = 'DependencyError';
}

/** URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

function hostPort(url: string, defaultPort: number): string {
  try {
    const u = new URL(url);
    return `${u.hostname || '127.0.0.1'}:${u.port || defaultPort}`;
  } catch {
    return url;
  }
}

const ADVICE = 'start it, pass --redis-url/--database-url, or run `aisctl up` for throwaway local servers';

export async function openRedis(url: string, options: { connectTimeoutMs?: number } = {}): Promise<Redis> {
  const { Redis: RedisClient } = await import('ioredis');
  const client = new RedisClient(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 3000,
    // While running, ioredis reconnects by itself (breakers and the DLQ cover the outage); only
    // the first connection must fail fast.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  client.on('error', () => {
    // Errors surface through command promises and the breaker; an unhandled 'error' event
    // would crash the process while Redis is down.
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new DependencyError(`cannot reach Redis at ${hostPort(url, 6379)} (${(err as Error).message}): ${ADVICE}`);
  }
  // Once connected, a command issued while Redis is down must fail at once so the breaker opens
  // and batches go to the spool, instead of piling up in the client's offline queue.
  client.options.enableOfflineQueue = false;
  return client;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Connects a pool, creating the database when it does not exist yet (so the first
 * `aisctl ingest` on a fresh server just works).
 */
export async function openPostgres(url: string, options: PoolOptions = {}): Promise<pg.Pool> {
  const { default: pgMod } = await import('pg');
  const { createPool } = await import('./postgres/pool.js');
  const makePool = (): pg.Pool => createPool(url, { connectionTimeoutMillis: 5000, ...options });
  let pool = makePool();
  try {
    const c = await pool.connect();
    c.release();
    return pool;
  } catch (err) {
    await pool.end().catch(() => undefined);
    const code = (err as { code?: string }).code;
    if (code === '3D000') {
      await createDatabase(pgMod, url);
      pool = makePool();
      const c = await pool.connect();
      c.release();
      return pool;
    }
    throw new DependencyError(`cannot reach PostgreSQL at ${hostPort(url, 5432)} (${(err as Error).message}): ${ADVICE}`);
  }
}

async function createDatabase(pgMod: typeof pg, url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!IDENT.test(name)) {
    throw new DependencyError(`database '${name}' does not exist and is not a plain identifier aisctl would create; create it yourself`);
  }
  u.pathname = '/postgres';
  const admin = new pgMod.Client({ connectionString: u.toString() });
  try {
    await admin.connect();
    // CREATE DATABASE takes no bound parameters; the name passed the identifier check above and
    // is quoted by the driver's own escaping.
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') {
      throw new DependencyError(`cannot create database '${name}' at ${hostPort(url, 5432)}: ${(err as Error).message}`);
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
}
