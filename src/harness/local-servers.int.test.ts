import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { STATE_FILE, findRedisServer, readLocalServersState, startLocalServers, stopLocalServers } from './local-servers.js';
import type { LocalServers } from './local-servers.js';

const dirs: string[] = [];
const started: LocalServers[] = [];
afterAll(async () => {
  for (const s of started) await s.stop().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'aisctl-local-'));
  dirs.push(d);
  return d;
}

async function pgQuery(url: string, text: string): Promise<unknown[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

describe('local servers', () => {
  it('starts both on free ports, restarts each keeping port and data, and stops from the state file', async () => {
    const dataDir = tempDir();
    const s = await startLocalServers({ dataDir, durable: false });
    started.push(s);
    expect(s.redisPort).not.toBe(6379);
    expect(s.postgresPort).not.toBe(5432);
    expect(JSON.parse(readFileSync(join(dataDir, STATE_FILE), 'utf8'))).toMatchObject({ version: 1 });

    const redis = new Redis(s.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    redis.on('error', () => undefined); // connection errors are expected while it is stopped
    await redis.connect();
    await redis.set('k', 'v');
    await pgQuery(s.databaseUrl, 'CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)');

    await s.stopRedis();
    await expect(redis.ping()).rejects.toThrow();
    await s.startRedis();
    // ioredis reconnects by itself; the key survived the restart (AOF)
    await expect.poll(() => redis.get('k').catch(() => null), { timeout: 10_000 }).toBe('v');
    redis.disconnect();

    await s.stopPostgres({ kill: true });
    await expect(pgQuery(s.databaseUrl, 'SELECT 1')).rejects.toThrow();
    await s.startPostgres();
    expect(await pgQuery(s.databaseUrl, 'SELECT x FROM kept')).toEqual([{ x: 42 }]);

    // a second `up` on the same folder reuses the running servers
    const again = await startLocalServers({ dataDir });
    expect([again.redisPort, again.postgresPort]).toEqual([s.redisPort, s.postgresPort]);
    expect(await readLocalServersState(dataDir)).toEqual({ redisUrl: s.redisUrl, databaseUrl: s.databaseUrl });

    // `aisctl down` from another process only has the folder
    expect(await stopLocalServers(dataDir)).toBe(true);
    await expect(pgQuery(s.databaseUrl, 'SELECT 1')).rejects.toThrow();
    expect(existsSync(join(dataDir, STATE_FILE))).toBe(false);
    expect(await stopLocalServers(dataDir)).toBe(false);
  });

  it('Redis alone; asking for the URL of a server not started is a clear error', async () => {
    const s = await startLocalServers({ dataDir: tempDir(), postgres: false });
    started.push(s);
    expect(s.redisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(() => s.databaseUrl).toThrow(/PostgreSQL was not started/);
    await s.stop({ removeData: true });
  });

  it('names the Debian package when a binary is missing', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => findRedisServer()).toThrow(/apt-get install redis-server/);
    } finally {
      process.env.PATH = path;
    }
  });
});
