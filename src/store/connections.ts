/**
 * Opening Redis and PostgreSQL for a command, failing fast with one clear line (what, where,
 * what to do next) instead of a driver stack trace or an endless reconnect loop.
 */
import type { Cluster } from 'ioredis';
import type { RedisClient } from './redis/redis-client.js';
import type pg from 'pg';
import type { PoolOptions } from './postgres/pool.js';
import { AisctlError } from '../errors/aisctl-error.js';
import { errorMessage } from '../errors/error-message.js';
import { hostPort } from '../utils/host-port.js';
import { sqlState, UNIQUE_VIOLATION } from './postgres/retryable-error.js';

/** A dependency could not be reached or failed: the CLI prints the one line and exits 1. */
export class DependencyError extends AisctlError {
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

const ADVICE = 'start it, pass --redis-url/--database-url, or run `aisctl up` for throwaway local servers';

/** Either client the Redis adapters accept; a cluster is chosen by the URL or `--redis-cluster`. */
export type { RedisClient } from './redis/redis-client.js';

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** Where Redis is: one server, or the seed nodes of a Redis Cluster (any one answering is enough). */
export type RedisTarget =
  | { readonly kind: 'standalone'; readonly url: string }
  | {
      readonly kind: 'cluster';
      readonly nodes: readonly RedisNode[];
      readonly username: string | undefined;
      readonly password: string | undefined;
      readonly tls: boolean;
    };

const SEED = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:/[\]]+))(?::(\d{1,5}))?$/;

/**
 * `redis://[user:pass@]host:port[,host:port...]` is a cluster given by its seed nodes (each seed
 * may repeat the `redis://` scheme); a single host:port is a cluster only with `cluster: true`.
 * Throws DependencyError for a URL that cannot name a cluster (a database number, a bad seed):
 * a cluster has only database 0.
 */
export function parseRedisTarget(url: string, options: { cluster?: boolean } = {}): RedisTarget {
  const trimmed = url.trim();
  const multi = trimmed.includes(',');
  if (!multi && !options.cluster) return { kind: 'standalone', url: trimmed };
  const scheme = /^(rediss?):\/\//i.exec(trimmed);
  if (!scheme) throw new DependencyError(`Redis Cluster URL must start with redis:// or rediss://: got '${redactUrl(trimmed)}'`);
  const tls = scheme[1]?.toLowerCase() === 'rediss';
  let rest = trimmed.slice(scheme[0].length);
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@', rest.indexOf(',') === -1 ? rest.length : rest.indexOf(','));
  if (at >= 0) {
    const cred = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = cred.indexOf(':');
    const user = decodeURIComponent(colon === -1 ? cred : cred.slice(0, colon));
    username = user === '' ? undefined : user;
    password = colon === -1 ? undefined : decodeURIComponent(cred.slice(colon + 1));
  }
  const nodes: RedisNode[] = [];
  for (const part of rest.split(',')) {
    let seed = part.trim().replace(/^rediss?:\/\//i, '');
    const slash = seed.indexOf('/');
    if (slash >= 0) {
      const db = seed.slice(slash + 1);
      if (db !== '' && db !== '0') throw new DependencyError(`Redis Cluster has only database 0: remove '/${db}' from --redis-url / REDIS_URL`);
      seed = seed.slice(0, slash);
    }
    if (seed === '') continue;
    const m = SEED.exec(seed);
    const port = Number(m?.[3] ?? 6379);
    if (!m || port < 1 || port > 65_535) throw new DependencyError(`bad Redis Cluster seed '${seed}' in --redis-url / REDIS_URL: use host:port[,host:port...]`);
    nodes.push({ host: m[1] ?? m[2] ?? '127.0.0.1', port });
  }
  if (nodes.length === 0) throw new DependencyError(`Redis Cluster URL names no seed node: got '${redactUrl(trimmed)}'`);
  return { kind: 'cluster', nodes, username, password, tls };
}

/** host:port list for messages (never the password). */
export function describeRedisTarget(target: RedisTarget): string {
  return target.kind === 'standalone' ? hostPort(target.url, 6379).label : `Redis Cluster seeds ${target.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
}

export interface OpenRedisOptions {
  readonly connectTimeoutMs?: number;
  /** A single-seed URL names a cluster (`--redis-cluster`, REDIS_CLUSTER=1). */
  readonly cluster?: boolean;
}

export async function openRedis(url: string, options: OpenRedisOptions = {}): Promise<RedisClient> {
  const target = parseRedisTarget(url, options);
  if (target.kind === 'cluster') return openRedisCluster(target, options.connectTimeoutMs ?? 3000);
  const { Redis: RedisClient } = await import('ioredis');
  const client = new RedisClient(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 3000,
    // While running, ioredis reconnects by itself (breakers and the DLQ cover the outage); only
    // the first connection must fail fast.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    // No reconnect loop before the first connection: a refused port fails at once with its own
    // error (ECONNREFUSED) instead of "Connection is closed." after retries.
    retryStrategy: () => null,
  });
  let firstError: Error | null = null;
  client.on('error', (err: Error) => {
    // Errors surface through command promises and the breaker; an unhandled 'error' event
    // would crash the process while Redis is down.
    firstError ??= err;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    const why = errorMessage(firstError ?? err);
    throw new DependencyError(`cannot reach Redis at ${hostPort(url, 6379).label} (${why}): ${ADVICE}`);
  }
  client.options.retryStrategy = (times) => Math.min(times * 200, 2000);
  // Once connected, a command issued while Redis is down must fail at once so the breaker opens
  // and batches go to the spool, instead of piling up in the client's offline queue.
  client.options.enableOfflineQueue = false;
  return client;
}

async function openRedisCluster(target: Extract<RedisTarget, { kind: 'cluster' }>, connectTimeoutMs: number): Promise<Cluster> {
  const { Cluster: ClusterClient } = await import('ioredis');
  let connected = false;
  // A holder, not a `let`: it is set from event handlers, which narrowing cannot see.
  const seen: { error: Error | null } = { error: null };
  const cluster = new ClusterClient(
    target.nodes.map((n) => ({ host: n.host, port: n.port })),
    {
      lazyConnect: true,
      enableOfflineQueue: true,
      // Until the first connect succeeds, give up at once (fail fast); afterwards reconnect like the
      // standalone client, while breakers and the spool cover the outage.
      clusterRetryStrategy: (times) => (connected ? Math.min(times * 200, 2000) : null),
      slotsRefreshTimeout: connectTimeoutMs,
      redisOptions: {
        connectTimeout: connectTimeoutMs,
        maxRetriesPerRequest: 2,
        ...(target.username === undefined ? {} : { username: target.username }),
        ...(target.password === undefined ? {} : { password: target.password }),
        ...(target.tls ? { tls: {} } : {}),
      },
    },
  );
  const remember = (err: unknown): void => {
    if (err instanceof Error) seen.error = err;
  };
  // Same reason as the standalone client: errors surface through commands and the breaker.
  cluster.on('error', remember);
  cluster.on('node error', remember);
  try {
    await cluster.connect();
    await cluster.ping();
  } catch (err) {
    cluster.disconnect();
    const cause = seen.error === null ? '' : lastErrorText(seen.error);
    const message = errorMessage(err);
    const why = cause === '' || cause === message ? message : `${message}: ${cause}`;
    throw new DependencyError(`cannot reach ${describeRedisTarget(target)} (${why}): ${ADVICE}`);
  }
  connected = true;
  cluster.options.enableOfflineQueue = false;
  return cluster;
}

/** ioredis wraps "every seed failed" around the per-node causes; the first cause is the useful part. */
function lastErrorText(err: Error): string {
  const nested = (err as { lastNodeError?: unknown }).lastNodeError;
  return nested instanceof Error ? nested.message : err.message;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Connects a pool, creating the database when it does not exist yet (so the first
 * `aisctl ingest` on a fresh server just works).
 */
export async function openPostgres(url: string, options: PoolOptions = {}): Promise<pg.Pool> {
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
      await createDatabase(url);
      pool = makePool();
      const c = await pool.connect();
      c.release();
      return pool;
    }
    throw new DependencyError(`cannot reach PostgreSQL at ${hostPort(url, 5432).label} (${errorMessage(err)}): ${ADVICE}`);
  }
}

/**
 * What a CREATE DATABASE that lost to another creator fails with: 42P04 when the winner had
 * committed before it looked, and a unique violation on pg_database's name index when both passed
 * that look and the winner committed while this one was inserting its catalog row.
 */
function createdByAnother(err: unknown): boolean {
  const state = sqlState(err);
  return state === '42P04' || (state === UNIQUE_VIOLATION && (err as { constraint?: unknown }).constraint === 'pg_database_datname_index');
}

/**
 * Creates the database `url` names. Success also when it exists already or another process
 * creates it at the same moment: several `aisctl db migrate` or `aisctl ingest` started together
 * on a fresh server all take this path, and only one CREATE DATABASE can win.
 */
export async function createDatabase(url: string): Promise<void> {
  const { default: pgMod } = await import('pg');
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
    if (!createdByAnother(err)) {
      throw new DependencyError(`cannot create database '${name}' at ${hostPort(url, 5432).label}: ${errorMessage(err)}`);
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
}
