/**
 * `aisctl doctor` against the real servers, against ports where nothing listens, and against a
 * database that is behind or missing. The CLI itself is spawned once to check that an
 * unreachable server gives advice lines and exit 1, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { run as runMigrate } from './db-migrate.js';
import { diagnose, run as runDoctor, type DoctorReport } from './doctor.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  let out = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await fn(), out };
  } finally {
    o.mockRestore();
  }
}

let db: TestDatabase;
let redis: TestRedis;
let noServers: string;
let flags: { databaseUrl: string; redisUrl: string; env: string; dataDir: string };
const DEAD_REDIS = 'redis://127.0.0.1:1';
const DEAD_PG = 'postgres://postgres@127.0.0.1:1/aisctl';

beforeAll(async () => {
  db = await createTestDatabase('doctor');
  redis = await createTestRedis('doctor');
  noServers = mkdtempSync(join(tmpdir(), 'aisctl-doctor-'));
  flags = { databaseUrl: db.url, redisUrl: redis.url, env: redis.prefix, dataDir: noServers };
});

afterAll(async () => {
  await redis?.cleanup();
  await db?.drop();
  if (noServers) rmSync(noServers, { recursive: true, force: true });
});

const texts = (r: DoctorReport, level?: string): string[] =>
  [...r.redis.findings, ...r.postgres.findings, ...r.localServers.findings].filter((f) => level === undefined || f.level === level).map((f) => f.text);

describe('aisctl doctor', () => {
  it('on a fresh database: reachable, schema behind with the command that fixes it', async () => {
    const r = await diagnose(flags);
    expect(r.ok).toBe(true);
    expect(r.postgres.schemaVersion).toBe(0);
    // A direct connection is a session: the pooling probe must not cry PgBouncer.
    expect(r.postgres.transactionPooling).toBe(false);
    expect(texts(r, 'warn').some((t) => t.includes('aisctl db migrate'))).toBe(true);
  });

  it('after migrate: versions, modules, memory, keys under the prefix, schema up to date; exit 0', async () => {
    await capture(() => runMigrate({ databaseUrl: db.url }));
    await redis.client.set(`${redis.prefix}:probe`, '1');
    const { code, out } = await capture(() => runDoctor({ ...flags, json: true }));
    expect(code).toBe(0);
    const r = JSON.parse(out) as DoctorReport;
    expect(r.ok).toBe(true);
    expect(r.redis).toMatchObject({ reachable: true, env: redis.prefix, envKeys: 1, liveVessels: 0, deadLetters: { pending: 0, parked: 0 } });
    expect(r.redis.version).toMatch(/^\d+\.\d+/);
    expect(typeof r.redis.redisJson).toBe('boolean');
    expect(r.redis.usedMemoryBytes).toBeGreaterThan(0);
    expect(r.redis.findings.some((f) => f.text.includes('RedisJSON') && f.text.includes('hashes'))).toBe(true);
    expect(r.postgres).toMatchObject({ reachable: true, databaseExists: true });
    expect(r.postgres.version).toMatch(/^\d+/);
    expect(r.postgres.maxConnections).toBeGreaterThan(0);
    expect(r.postgres.schemaVersion).toBe(r.postgres.latestVersion);
    expect(r.postgres.tables.map((t) => t.name)).toEqual(['vessel_positions', 'vessels']);
    expect(r.localServers.recorded).toBe(false);
    // The server's own settings for this workload, each with the value recommended.
    const sync = r.postgresSettings?.settings.find((x) => x.name === 'synchronous_commit');
    expect(sync).toMatchObject({ recommended: 'on' });
    expect(r.postgresSettings?.settings.map((x) => x.name)).toEqual(expect.arrayContaining(['wal_buffers', 'max_wal_size', 'checkpoint_timeout']));
    expect(r.postgresSettings?.checkpoints?.timed).toBeGreaterThanOrEqual(0);

    const text = await capture(() => runDoctor(flags));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^Redis {7}redis:\/\//m);
    expect(text.out).toContain(`schema version ${r.postgres.latestVersion} (up to date)`);
    expect(text.out).toContain('no servers started by `aisctl up`');
    expect(text.out).toMatch(/^PostgreSQL server settings\n {2}\S+ +synchronous_commit = /m);
  });

  it('a database that does not exist yet is a warning, not a failure', async () => {
    const u = new URL(db.url);
    u.pathname = `/${db.name}_missing`;
    const r = await diagnose({ ...flags, databaseUrl: u.toString() });
    expect(r.ok).toBe(true);
    expect(r.postgres.databaseExists).toBe(false);
    expect(texts(r, 'warn').join('\n')).toMatch(/does not exist yet: `aisctl db migrate`/);
  });

  it('unreachable servers: exit 1 with one advice line each', async () => {
    const { code, out } = await capture(() => runDoctor({ ...flags, redisUrl: DEAD_REDIS, databaseUrl: DEAD_PG, json: true, timeoutMs: 2000 }));
    expect(code).toBe(1);
    const r = JSON.parse(out) as DoctorReport;
    expect(r.ok).toBe(false);
    const fails = texts(r, 'fail');
    expect(fails).toHaveLength(2);
    expect(fails[0]).toMatch(/^Redis not reachable at 127\.0\.0\.1:1 .*run `aisctl up`/);
    expect(fails[1]).toMatch(/^PostgreSQL not reachable at 127\.0\.0\.1:1 .*pg_ctlcluster.*`aisctl up`/);
    for (const f of fails) expect(f).not.toContain('\n');
  });

  it('the CLI prints advice, not a stack trace, when nothing answers', () => {
    const res = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'doctor', '--redis-url', DEAD_REDIS, '--database-url', DEAD_PG, '--env', 'doctor_cli'],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, AIS_ENV: undefined } },
    );
    expect(res.status).toBe(1);
    expect(res.stdout).toContain('FAIL  Redis not reachable at 127.0.0.1:1');
    expect(res.stdout).toContain('FAIL  PostgreSQL not reachable at 127.0.0.1:1');
    expect(res.stdout).toMatch(/2 problems/);
    expect(`${res.stdout}${res.stderr}`).not.toMatch(/^\s+at /m);
  });
});
