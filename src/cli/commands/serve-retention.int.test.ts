/**
 * `serve --retention`: retention runs once at start (then hourly) on the runtime's pool and
 * logs what it dropped. Waits for the logged line, never for time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../store/postgres/migrator.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { startServe, type ServeHandle } from './serve.js';

let db: TestDatabase;
let redis: TestRedis;
let spoolDir: string;
let serve: ServeHandle | undefined;
beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase('serve_ret'), createTestRedis('serve_ret')]);
  spoolDir = mkdtempSync(join(tmpdir(), 'aisctl-serve-ret-'));
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  try {
    await migrate(pool);
    // A partition a year old, holding nothing: the one retention must drop.
    await pool.query("SELECT aisctl_ensure_partitions(ARRAY[now() - interval '365 days'])");
  } finally {
    await pool.end();
  }
});
afterAll(async () => {
  await serve?.stop();
  await redis?.cleanup();
  await db?.drop();
  rmSync(spoolDir, { recursive: true, force: true });
});

describe('aisctl serve --retention', () => {
  it('drops the partitions older than the retention at start and logs each one', async () => {
    const lines: string[] = [];
    let summary: (line: string) => void = () => {};
    const summarised = new Promise<string>((resolve) => {
      summary = resolve;
    });
    serve = await startServe({
      redisUrl: redis.url,
      databaseUrl: db.url,
      env: redis.prefix,
      host: '127.0.0.1',
      port: 0,
      spoolDir,
      retentionMs: 90 * 86_400_000,
      onWarning: (line) => {
        lines.push(line);
        if (line.includes('partition(s) dropped')) summary(line);
      },
    });
    expect(await summarised).toContain('retention: 1 partition(s) dropped, 0 busy');
    expect(lines.some((l) => /^retention: dropped vessel_positions_\d{8} \[/.test(l))).toBe(true);
    const left = await serve.runtime.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM aisctl_position_partitions() WHERE upper_bound <= now() - interval '90 days'",
    );
    expect(left.rows[0]?.n).toBe(0);
  });
});
