/**
 * Integration-test support: every test run owns a fresh PostgreSQL database and a Redis key
 * prefix of its own, so tests never touch data they did not create, and parallel runs (or a
 * developer's own data on the same servers) cannot interfere.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Cluster, Redis } from 'ioredis';

export const ADMIN_DATABASE_URL = process.env.AISCTL_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.AISCTL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueSuffix(): string {
  return `${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** The URL of database `name` on the test server. */
export function testDatabaseUrl(name: string): string {
  const u = new URL(ADMIN_DATABASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `fn` on a connection to the admin database (create, drop, look up databases). */
export async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const name = `aisctl_${label}_${uniqueSuffix()}`.toLowerCase();
  // Identifiers cannot be bound parameters; `name` is generated above from [a-z0-9_] only.
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: testDatabaseUrl(name),
    async drop() {
      await withAdmin(async (c) => {
        // pg's pool.end() resolves before its connections have closed. FORCE would terminate such
        // a closing connection, and the FATAL it then receives has no listener left: an uncaught
        // 57P01 that fails the test run. So wait (bounded) for the sessions to go by themselves.
        const deadline = Date.now() + 10_000;
        for (;;) {
          const r = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
          if ((r.rows[0]?.n ?? 0) === 0 || Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

export interface TestRedis {
  /** Environment prefix to pass as `env` to the Redis adapters, e.g. `t_1234_ab12cd34`. */
  readonly prefix: string;
  readonly url: string;
  readonly client: Redis;
  /** Deletes every key whose name starts with the prefix (derived environments too) and closes the client. */
  cleanup(): Promise<void>;
}

export async function createTestRedis(label = 't'): Promise<TestRedis> {
  const prefix = `aisctl_${label}_${uniqueSuffix()}`;
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  return {
    prefix,
    url: TEST_REDIS_URL,
    client,
    async cleanup() {
      // No ':' after the prefix: tests also derive environments such as `${prefix}_a` from it,
      // and the random suffix already makes the prefix unique to this run.
      await deleteKeysWithPrefix(client, prefix);
      client.disconnect();
    },
  };
}

/** On a Cluster, every master is scanned (SCAN sees one node) and keys are unlinked one by one (slots differ). */
export async function deleteKeysWithPrefix(client: Redis | Cluster, prefix: string): Promise<number> {
  if (client instanceof Cluster) {
    let deleted = 0;
    for (const node of client.nodes('master')) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) deleted += await node.unlink(key);
      } while (cursor !== '0');
    }
    return deleted;
  }
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** Path of the shared reference corpus, and whether it is present (tests skip with a message if not). */
export { CORPUS_DIR, CORPUS_MISSING, corpusAvailable, corpusPath } from './corpus.js';
