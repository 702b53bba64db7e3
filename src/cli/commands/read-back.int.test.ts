/**
 * `aisctl db migrate`, `aisctl vessel` and `aisctl near` against the real servers: data goes in
 * through the real pipeline runtime, and comes back out through the commands' `run()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PositionReport, StaticReport } from '../../normalize/message.js';
import { openRuntime } from '../../pipeline/pipeline-runtime.js';
import { listMigrations } from '../../store/postgres/migrator.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { run as runMigrate } from './db-migrate.js';
import { run as runNear } from './near.js';
import { run as runVessel } from './vessel.js';

/** Runs a command with stdout and stderr captured. */
async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await fn();
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

let db: TestDatabase;
let redis: TestRedis;
let spool: string;
let flags: { databaseUrl: string; redisUrl: string; env: string };
const NOW = Date.now();
/** Rotterdam approaches; the three vessels are ~0, ~2.2 and ~5.5 km from CENTER. */
const CENTER = { lat: 51.98, lon: 4.05 };
const VESSELS = [
  { mmsi: 244660001, name: 'NEAR ONE', lat: 51.98, lon: 4.05 },
  { mmsi: 244660002, name: 'MIDDLE TWO', lat: 52.0, lon: 4.05 },
  { mmsi: 244660003, name: null, lat: 51.98, lon: 4.13 },
];

function position(mmsi: number, i: number, lat: number, lon: number): PositionReport {
  return {
    kind: 'position',
    mmsi,
    ts: NOW - 60_000 + i * 10_000,
    lat: lat + i * 0.0003,
    lon,
    sog: 10.5,
    cog: 0,
    heading: 1,
    navStatus: 0,
    source: 'terrestrial',
    msgType: 1,
    origin: { file: 'test', line: i + 1 },
  };
}

function staticReport(mmsi: number, name: string): StaticReport {
  return {
    kind: 'static',
    mmsi,
    ts: NOW - 50_000,
    name,
    callsign: 'PDAB',
    imo: 9_876_543,
    shipType: 70,
    toBow: 100,
    toStern: 20,
    toPort: 10,
    toStarboard: 8,
    draught: 7.5,
    destination: 'ROTTERDAM',
    source: 'terrestrial',
    msgType: 5,
    origin: { file: 'test', line: 0 },
  };
}

beforeAll(async () => {
  db = await createTestDatabase('readback');
  redis = await createTestRedis('readback');
  spool = mkdtempSync(join(tmpdir(), 'aisctl-readback-'));
  flags = { databaseUrl: db.url, redisUrl: redis.url, env: redis.prefix };
});

afterAll(async () => {
  await redis?.cleanup();
  await db?.drop();
  if (spool) rmSync(spool, { recursive: true, force: true });
});

describe('aisctl db migrate', () => {
  it('applies every migration once, then reports the schema as up to date', async () => {
    const first = await capture(() => runMigrate({ ...flags, json: true }));
    expect(first.code).toBe(0);
    const j = JSON.parse(first.out) as { applied: { version: number }[]; schemaVersion: number; latestVersion: number; database: string };
    expect(j.applied.map((a) => a.version)).toEqual(listMigrations().map((m) => m.version));
    expect(j.schemaVersion).toBe(j.latestVersion);
    const again = await capture(() => runMigrate({ ...flags }));
    expect(again.code).toBe(0);
    expect(again.out).toContain('schema already up to date');
    expect(again.out).toContain(`schema version ${j.schemaVersion}`);
  });

  it('fails with one line when PostgreSQL is unreachable', async () => {
    await expect(runMigrate({ ...flags, databaseUrl: 'postgres://postgres@127.0.0.1:1/aisctl' })).rejects.toMatchObject({
      name: 'DependencyError',
      message: expect.stringContaining('127.0.0.1:1'),
    });
  });
});

describe('aisctl vessel and aisctl near after ingest through the pipeline', () => {
  beforeAll(async () => {
    const rt = await openRuntime({ ...flags, spoolDir: spool, replay: false });
    try {
      for (const v of VESSELS) {
        for (let i = 0; i < 4; i++) rt.pipeline.submit(position(v.mmsi, i, v.lat, v.lon), performance.now());
        if (v.name) rt.pipeline.submit(staticReport(v.mmsi, v.name), performance.now());
      }
      await rt.pipeline.flush();
      expect(rt.pipeline.counters.positionsInserted).toBe(12);
    } finally {
      await rt.close();
    }
  });

  it('vessel --json: live state from Redis and the last N positions from PostgreSQL, newest first', async () => {
    const r = await capture(() => runVessel('244660001', { ...flags, limit: '3', json: true }));
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as {
      mmsi: number;
      live: {
        position: { ts: string; lat: number; sog: number; source: string; score: number; ageSeconds: number };
        static: { name: string; destination: string };
      };
      vessel: { name: string; firstSeen: string };
      positions: { ts: string }[];
    };
    expect(v.mmsi).toBe(244660001);
    expect(v.live.position.ts).toBe(new Date(NOW - 60_000 + 30_000).toISOString());
    expect(v.live.position.lat).toBeCloseTo(51.98 + 3 * 0.0003, 6);
    expect(v.live.position.sog).toBe(10.5);
    expect(v.live.position.source).toBe('terrestrial');
    expect(v.live.position.ageSeconds).toBeGreaterThanOrEqual(29);
    expect(v.live.static).toMatchObject({ name: 'NEAR ONE', destination: 'ROTTERDAM' });
    expect(v.vessel.name).toBe('NEAR ONE');
    expect(v.positions.map((p) => p.ts)).toEqual([30_000, 20_000, 10_000].map((d) => new Date(NOW - 60_000 + d).toISOString()));
  });

  it('vessel as text: a table people can read', async () => {
    const r = await capture(() => runVessel('244660002', { ...flags }));
    expect(r.code).toBe(0);
    expect(r.out).toContain('vessel 244660002  MIDDLE TWO');
    expect(r.out).toContain('0 (Under way using engine)');
    expect(r.out).toMatch(/TIME \(UTC\)\s+LAT\s+LON\s+SOG/);
    expect(r.out.split('\n').filter((l) => l.includes('terrestrial') && l.includes('Z '))).toHaveLength(4);
  });

  it('vessel: an unknown MMSI is exit 1 with a clear message; a malformed one is a usage error', async () => {
    const r = await capture(() => runVessel('999999999', { ...flags }));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/vessel 999999999 not found/);
    await expect(runVessel('24466x001', { ...flags })).rejects.toMatchObject({ name: 'UsageError' });
    await expect(runVessel('1234567890', { ...flags })).rejects.toMatchObject({ name: 'UsageError' });
    await expect(runVessel('244660001', { ...flags, limit: '-1' })).rejects.toMatchObject({ name: 'UsageError' });
  });

  it('near --json: nearest first, with names where known and the age of the last report', async () => {
    const r = await capture(() => runNear(String(CENTER.lat), String(CENTER.lon), { ...flags, radius: '10km', json: true }));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { count: number; vessels: { mmsi: number; distanceMeters: number; name: string | null; ageSeconds: number }[] };
    expect(j.vessels.map((v) => v.mmsi)).toEqual([244660001, 244660002, 244660003]);
    expect(j.vessels.map((v) => v.name)).toEqual(['NEAR ONE', 'MIDDLE TWO', null]);
    const d = j.vessels.map((v) => v.distanceMeters);
    expect(d[0]).toBeLessThan(200);
    expect(d[1]).toBeGreaterThan(2000);
    expect(d[2]).toBeGreaterThan(5000);
    expect(j.vessels.every((v) => v.ageSeconds >= 29)).toBe(true);
  });

  it('near: radius and limit bound the answer; text output is a table', async () => {
    const small = await capture(() => runNear(String(CENTER.lat), String(CENTER.lon), { ...flags, radius: '3km', json: true }));
    expect((JSON.parse(small.out) as { count: number }).count).toBe(2);
    const one = await capture(() => runNear(String(CENTER.lat), String(CENTER.lon), { ...flags, radius: '10nm', limit: '1' }));
    expect(one.out).toContain('1 vessel within');
    expect(one.out).toContain('NEAR ONE');
    expect(one.out).not.toContain('MIDDLE TWO');
    const none = await capture(() => runNear('10', '10', { ...flags }));
    expect(none.out).toContain('no vessels with a live position within');
  });

  it('near: bad coordinates and radii are usage errors', async () => {
    await expect(runNear('91', '4', { ...flags })).rejects.toMatchObject({ name: 'UsageError' });
    await expect(runNear('52', 'east', { ...flags })).rejects.toMatchObject({ name: 'UsageError' });
    await expect(runNear('52', '4', { ...flags, radius: '0km' })).rejects.toMatchObject({ name: 'UsageError' });
    await expect(runNear('52', '4', { ...flags, radius: 'far' })).rejects.toMatchObject({ name: 'UsageError' });
  });
});
