/**
 * `aisctl serve` against the real servers: NMEA posted over HTTP ends up in PostgreSQL and
 * Redis, /metrics and /healthz answer from the running runtime, and SIGTERM shuts the spawned
 * CLI down cleanly after writing what it accepted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastPositions } from '../../store/postgres/vessel-queries.js';
import { activeSince } from '../../store/redis/hot-state-reader.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { startServe, type ServeHandle } from './serve.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NMEA = readFileSync(join(ROOT, 'fixtures/harbour.nmea'), 'utf8');
const MIXED = readFileSync(join(ROOT, 'fixtures/mixed.nmea'), 'utf8');

let db: TestDatabase;
let redis: TestRedis;
let spoolDir: string;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('serve');
  redis = await createTestRedis('serve');
  spoolDir = mkdtempSync(join(tmpdir(), 'aisctl-serve-'));
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
});

afterAll(async () => {
  await pool?.end();
  await redis?.cleanup();
  await db?.drop();
  if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
});

async function postNmea(
  url: string,
  body: string,
): Promise<{ status: number; json: { accepted: number; rejected: number; errors: { line: number; reason: string }[] } }> {
  const res = await fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
  return { status: res.status, json: (await res.json()) as { accepted: number; rejected: number; errors: { line: number; reason: string }[] } };
}

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}

describe('aisctl serve (in process)', () => {
  let serve: ServeHandle;

  beforeAll(async () => {
    serve = await startServe({ redisUrl: redis.url, databaseUrl: db.url, env: redis.prefix, host: '127.0.0.1', port: 0, spoolDir });
  });

  afterAll(async () => {
    await serve?.stop();
  });

  it('POST NMEA lines: 202 with counts and per-line errors; the rows reach PostgreSQL and Redis', async () => {
    const r = await postNmea(serve.url, MIXED);
    // Status and body together, so a failure shows the server's reason.
    expect({ status: r.status, body: r.json }).toMatchObject({ status: 202 });
    expect(r.json.accepted).toBeGreaterThan(200);
    expect(r.json.rejected).toBe(8);
    expect(r.json.errors.map((e) => e.reason)).toContain('bad_checksum');
    await serve.runtime.pipeline.flush();
    const c = serve.runtime.pipeline.counters;
    expect(c.positionsInserted).toBeGreaterThan(100);
    expect(c.deadLetteredPostgres + c.deadLetteredRedis).toBe(0);
    const live = await activeSince(redis.client, redis.prefix, 0);
    expect(live.length).toBeGreaterThanOrEqual(30);
    const mmsi = live[0]?.mmsi ?? 0;
    expect((await lastPositions(pool, mmsi, 5)).length).toBeGreaterThan(0);
  });

  it('GET /metrics: the runtime registry, with aisctl_messages_total and rejections by reason', async () => {
    const res = await fetch(`${serve.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(metricValue(text, 'aisctl_messages_total{outcome="accepted"}')).toBeGreaterThan(200);
    expect(metricValue(text, 'aisctl_rejections_total{reason="bad_checksum"}')).toBe(3);
    expect(text).toContain('aisctl_breaker_state{dependency="postgres",state="closed"} 1');
    expect(text).toContain('aisctl_process_cpu_user_seconds_total');
  });

  it('GET /healthz: Redis and PostgreSQL round trips and breaker states', async () => {
    const res = await fetch(`${serve.url}/healthz`);
    expect(res.status).toBe(200);
    const h = (await res.json()) as { ok: boolean; checks: Record<string, { ok: boolean; detail: string }> };
    expect(h.ok).toBe(true);
    expect(h.checks.redis).toMatchObject({ ok: true, detail: expect.stringContaining('breaker closed') });
    expect(h.checks.postgres).toMatchObject({ ok: true, detail: expect.stringContaining('breaker closed') });
    expect(h.checks.pipeline?.ok).toBe(true);
  });

  it('a body with nothing usable is 400 with the reasons', async () => {
    const r = await postNmea(serve.url, '!AIVDM,1,1,,A,13=??l002V0CLq>NL=>FemH00VbI,0*00\n');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ accepted: 0, rejected: 1, errors: [{ line: 1, reason: 'bad_checksum' }] });
  });

  it('503 with Retry-After while the pipeline is saturated', async () => {
    const p = serve.runtime.pipeline;
    // Saturation normally lasts only while the stores lag; hold it for this one request.
    Object.defineProperty(p, 'saturated', { configurable: true, get: () => true });
    try {
      const res = await fetch(`${serve.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: NMEA });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
    } finally {
      delete (p as unknown as Record<string, unknown>).saturated;
    }
    expect(p.saturated).toBe(false);
  });
});

describe('aisctl serve (the CLI process)', () => {
  it('prints its URL, ingests, and on SIGTERM writes what it accepted and exits 0', async () => {
    const env = `${redis.prefix}_cli`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--database-url', db.url, '--redis-url', redis.url, '--env', env, '--spool-dir', spoolDir],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no URL printed; stderr: ${err}`)), 30_000);
        child.stdout.on('data', () => {
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(t);
            resolve(m[1]);
          }
        });
        child.on('exit', () => reject(new Error(`serve exited early: ${err}`)));
      });
      const r = await postNmea(url, NMEA);
      expect(r.status).toBe(202);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(err).toContain('SIGTERM: stopping');
      expect(err).toMatch(/stopped: \d+ messages submitted/);
      expect(err).not.toMatch(/^\s+at /m);
      // Accepted before the signal means written before exit.
      const live = await activeSince(redis.client, env, 0);
      expect(live.length).toBeGreaterThanOrEqual(30);
      expect((await lastPositions(pool, live[0]?.mmsi ?? 0, 1)).length).toBe(1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      const { deleteKeysWithPrefix } = await import('../../testing/services.js');
      await deleteKeysWithPrefix(redis.client, `${env}:`);
    }
  });
});
