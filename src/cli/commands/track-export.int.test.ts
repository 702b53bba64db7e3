/**
 * `aisctl track`, `aisctl export` and `aisctl search` against the real PostgreSQL: a fixture is
 * ingested by the built CLI into database A, read back through the commands, and each row
 * format of the export is ingested by the CLI into a fresh database B, which must then hold
 * the same (mmsi, ts, lat, lon, sog, cog, heading, nav_status) rows as A.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { positionsByTime } from '../../store/postgres/export-queries.js';
import { describeResult, ensureBuilt, PROJECT_ROOT, runCli } from '../../testing/cli.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import { run as runExport } from './export.js';
import { run as runSearch } from './search.js';
import { run as runTrack } from './track.js';

/** Runs a command in this process with stdout and stderr captured. */
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

const FIXTURE = join(PROJECT_ROOT, 'fixtures', 'tagblock.nm4');
const DAY = { since: '2024-06-01T00:00:00Z', until: '2024-06-02T00:00:00Z' };

// Static SQL of the assertions only; nothing from outside reaches it.
const ROWS =
  'SELECT v.mmsi, (extract(epoch FROM p.ts) * 1000)::float8 AS ts, p.lat, p.lon, p.sog, p.cog, p.heading, p.nav_status ' +
  'FROM vessel_positions_decoded p JOIN vessels v ON v.id = p.vessel_id';

interface Row {
  mmsi: number;
  ts: number;
  lat: number;
  lon: number;
  sog: number | null;
  cog: number | null;
  heading: number | null;
  nav_status: number | null;
}

let tmp: string;
let redis: TestRedis;
const databases: TestDatabase[] = [];
const pools: pg.Pool[] = [];
let a: { url: string; pool: pg.Pool };
let rowsA: Row[];

async function database(label: string): Promise<{ url: string; pool: pg.Pool }> {
  const db = await createTestDatabase(label);
  databases.push(db);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
  pools.push(pool);
  return { url: db.url, pool };
}

async function ingest(file: string, url: string, env: string, format?: string): Promise<void> {
  const args = [
    'ingest',
    file,
    '--json',
    '--no-progress',
    '--database-url',
    url,
    '--redis-url',
    redis.url,
    '--env',
    env,
    '--spool-dir',
    join(tmp, `spool-${env}`),
  ];
  const r = await runCli(format === undefined ? args : [...args, '--format', format], { timeoutMs: 180_000 });
  expect(r.code, describeResult(r)).toBe(0);
}

async function rows(pool: pg.Pool): Promise<Row[]> {
  return (await pool.query<Row>(`${ROWS} ORDER BY v.mmsi, p.ts`)).rows;
}

const key = (r: Row): string => JSON.stringify([r.mmsi, r.ts, r.lat, r.lon, r.sog, r.cog, r.heading, r.nav_status]);

/** The vessel with the most positions, and its rows in time order. */
function busiest(all: readonly Row[]): { mmsi: number; rows: Row[] } {
  const by = new Map<number, Row[]>();
  for (const r of all) by.set(r.mmsi, [...(by.get(r.mmsi) ?? []), r]);
  const [mmsi, list] = [...by.entries()].sort((x, y) => y[1].length - x[1].length || x[0] - y[0])[0] ?? [0, []];
  return { mmsi, rows: [...list].sort((x, y) => x.ts - y.ts) };
}

beforeAll(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'aisctl-track-export-'));
  redis = await createTestRedis('trackexp');
  a = await database('trackexp_a');
  await ingest(FIXTURE, a.url, `${redis.prefix}_a`);
  rowsA = await rows(a.pool);
  expect(rowsA.length).toBeGreaterThan(200);
}, 300_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await Promise.all(databases.map((d) => d.drop()));
  await redis?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const flags = (): { databaseUrl: string } => ({ databaseUrl: a.url });

describe('aisctl track', () => {
  it('jsonl: every position of the vessel in the range, in time order, as aisctl JSONL', async () => {
    const v = busiest(rowsA);
    const r = await capture(() => runTrack(String(v.mmsi), { ...flags(), ...DAY, format: 'jsonl' }));
    expect(r.code, r.err).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; mmsi: number; ts: string; lat: number; lon: number; sog: number | null });
    expect(lines.map((l) => [l.kind, l.mmsi, Date.parse(l.ts), l.lat, l.lon, l.sog])).toEqual(
      v.rows.map((x) => ['position', v.mmsi, x.ts, x.lat, x.lon, x.sog]),
    );
  });

  it('--since is inclusive and --until exclusive, at the row times exactly; pages of any size give the same rows', async () => {
    const v = busiest(rowsA);
    const from = v.rows[2]?.ts ?? 0;
    const to = v.rows[6]?.ts ?? 0;
    const expected = v.rows.filter((x) => x.ts >= from && x.ts < to).map((x) => new Date(x.ts).toISOString());
    expect(expected).toHaveLength(4);
    for (const pageSize of ['1', '3', '5000']) {
      const r = await capture(() =>
        runTrack(String(v.mmsi), { ...flags(), since: new Date(from).toISOString(), until: new Date(to).toISOString(), format: 'csv', pageSize }),
      );
      expect(r.code, r.err).toBe(0);
      const [header, ...body] = r.out.trim().split('\n');
      expect(header).toBe('mmsi,time,lat,lon,sog,cog,heading,nav_status,source,score');
      expect(body.map((l) => l.split(',')[1])).toEqual(expected);
    }
  });

  it('geojson: a valid RFC 7946 FeatureCollection, a LineString of [lon, lat] with one time per point', async () => {
    const v = busiest(rowsA);
    const r = await capture(() => runTrack(String(v.mmsi), { ...flags(), ...DAY, format: 'geojson' }));
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as {
      type: string;
      features: { type: string; geometry: { type: string; coordinates: [number, number][] }; properties: { mmsi: number; times: string[] } }[];
    };
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features).toHaveLength(1);
    const f = doc.features[0];
    expect(f?.type).toBe('Feature');
    expect(f?.geometry.type).toBe('LineString');
    expect(f?.geometry.coordinates).toEqual(v.rows.map((x) => [x.lon, x.lat]));
    expect(f?.properties.mmsi).toBe(v.mmsi);
    expect(f?.properties.times).toEqual(v.rows.map((x) => new Date(x.ts).toISOString()));
    // Off Rotterdam: longitude first (about 3-6 E), then latitude (about 51-54 N).
    for (const [lon, lat] of f?.geometry.coordinates ?? []) {
      expect(lon).toBeGreaterThan(0);
      expect(lon).toBeLessThan(10);
      expect(lat).toBeGreaterThan(50);
      expect(lat).toBeLessThan(56);
    }
  });

  it('geojson: a single position in range is a Point feature; no position is an empty collection', async () => {
    const v = busiest(rowsA);
    const only = v.rows[3]?.ts ?? 0;
    const one = await capture(() =>
      runTrack(String(v.mmsi), { ...flags(), since: new Date(only).toISOString(), until: new Date(only + 1).toISOString(), format: 'geojson' }),
    );
    const doc = JSON.parse(one.out) as { features: { geometry: { type: string; coordinates: number[] }; properties: { times: string[] } }[] };
    expect(doc.features.map((f) => f.geometry)).toEqual([{ type: 'Point', coordinates: [v.rows[3]?.lon, v.rows[3]?.lat] }]);
    expect(doc.features[0]?.properties.times).toEqual([new Date(only).toISOString()]);
    const none = await capture(() => runTrack(String(v.mmsi), { ...flags(), since: '2020-01-01', until: '2020-01-02', format: 'geojson' }));
    expect(JSON.parse(none.out)).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('table for people; unknown vessels exit 1; bad arguments are one-line usage errors', async () => {
    const v = busiest(rowsA);
    const t = await capture(() => runTrack(String(v.mmsi), { ...flags(), ...DAY }));
    expect(t.code).toBe(0);
    expect(t.out.split('\n')[0]).toMatch(/^TIME \(UTC\)\s+LAT\s+LON\s+SOG\s+COG\s+HDG\s+NAV\s+SOURCE$/);
    expect(t.out.trim().split('\n')).toHaveLength(v.rows.length + 1);
    const missing = await capture(() => runTrack('999999999', { ...flags(), ...DAY }));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/vessel 999999999 not found/);
    await expect(runTrack('12x', { ...flags() })).rejects.toThrow(/MMSI must be an MMSI: an integer/);
    await expect(runTrack(String(v.mmsi), { ...flags(), since: 'last week' })).rejects.toThrow(/--since must be an ISO 8601 time/);
    await expect(runTrack(String(v.mmsi), { ...flags(), since: '1h', until: '2h' })).rejects.toThrow(/must be before --until/);
    await expect(runTrack(String(v.mmsi), { ...flags(), format: 'kml' })).rejects.toThrow(/--format must be one of/);
  });
});

describe('aisctl export', () => {
  it.each([
    ['noaa-csv', 'noaa-csv'],
    ['noaa-csv-2023', 'noaa-csv'],
    ['dma-csv', 'dma-csv'],
    ['jsonl', 'jsonl'],
  ])(
    '%s: ingesting the export into a fresh database gives the same rows',
    async (format, readAs) => {
      const file = join(tmp, `export.${format}`);
      const r = await runCli(['export', '--database-url', a.url, '--since', DAY.since, '--until', DAY.until, '--format', format, '--output', file], {
        timeoutMs: 120_000,
      });
      expect(r.code, describeResult(r)).toBe(0);
      expect(r.stderr).toContain(`${rowsA.length} positions of`);
      const b = await database(`trackexp_b_${format.replace(/-/g, '')}`);
      await ingest(file, b.url, `${redis.prefix}_b_${format}`, readAs);
      const rowsB = await rows(b.pool);
      expect(rowsB.map(key)).toEqual(rowsA.map(key));
    },
    300_000,
  );

  it("row formats are in time order, then MMSI; JSONL carries each vessel's static data once, before its positions", () => {
    const lines = readFileSync(join(tmp, 'export.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; mmsi: number; ts: string; name?: string });
    const positions = lines.filter((l) => l.kind === 'position').map((l) => [Date.parse(l.ts), l.mmsi] as const);
    expect(positions).toEqual([...positions].sort((x, y) => x[0] - y[0] || x[1] - y[1]));
    const statics = lines.filter((l) => l.kind === 'static');
    expect(new Set(statics.map((s) => s.mmsi)).size).toBe(statics.length);
    expect(statics.length).toBeGreaterThan(20);
    for (const s of statics) {
      const first = lines.findIndex((l) => l.mmsi === s.mmsi);
      expect(lines[first]?.kind).toBe('static');
    }
    const csv = readFileSync(join(tmp, 'export.noaa-csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign,vessel_type,status,length,width,draft,cargo,transceiver',
    );
    expect(csv).toHaveLength(rowsA.length + 1);
  });

  it('--mmsi and --bbox select exactly the matching rows', async () => {
    const v = busiest(rowsA);
    const other = rowsA.find((x) => x.mmsi !== v.mmsi)?.mmsi ?? 0;
    const byMmsi = await capture(() => runExport({ ...flags(), ...DAY, mmsi: `${v.mmsi},${other}`, format: 'jsonl', quiet: true }));
    const got = byMmsi.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; mmsi: number });
    expect(got.filter((l) => l.kind === 'position')).toHaveLength(rowsA.filter((x) => x.mmsi === v.mmsi || x.mmsi === other).length);
    expect(new Set(got.map((l) => l.mmsi))).toEqual(new Set([v.mmsi, other]));

    const lats = rowsA.map((x) => x.lat).sort((p, q) => p - q);
    const lons = rowsA.map((x) => x.lon).sort((p, q) => p - q);
    const box = {
      west: lons[Math.floor(lons.length / 4)] ?? 0,
      east: lons[Math.floor((3 * lons.length) / 4)] ?? 0,
      south: lats[Math.floor(lats.length / 4)] ?? 0,
      north: lats[Math.floor((3 * lats.length) / 4)] ?? 0,
    };
    const inside = rowsA.filter((x) => x.lon >= box.west && x.lon <= box.east && x.lat >= box.south && x.lat <= box.north);
    expect(inside.length).toBeGreaterThan(10);
    expect(inside.length).toBeLessThan(rowsA.length / 2);
    const byBox = await capture(() =>
      runExport({ ...flags(), ...DAY, bbox: `${box.west},${box.south},${box.east},${box.north}`, format: 'noaa-csv-2023', quiet: true }),
    );
    expect(
      byBox.out
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',').slice(0, 2).join(',')),
    ).toEqual([...inside].sort((x, y) => x.ts - y.ts || x.mmsi - y.mmsi).map((x) => `${x.mmsi},${new Date(x.ts).toISOString().slice(0, 19)}`));
    // A box across the antimeridian holds none of these North Sea positions.
    const far = await capture(() => runExport({ ...flags(), ...DAY, bbox: '170,-10,-170,10', format: 'noaa-csv', quiet: true }));
    expect(far.out.trim().split('\n')).toHaveLength(1);
  });

  it('geojson: one track per vessel in MMSI order, holding every row of the range', async () => {
    const r = await capture(() => runExport({ ...flags(), ...DAY, format: 'geojson', quiet: true }));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      type: string;
      features: { geometry: { type: string; coordinates: unknown }; properties: { mmsi: number; times: string[] } }[];
    };
    expect(doc.type).toBe('FeatureCollection');
    const mmsis = doc.features.map((f) => f.properties.mmsi);
    expect(mmsis).toEqual([...new Set(rowsA.map((x) => x.mmsi))].sort((p, q) => p - q));
    expect(doc.features.reduce((n, f) => n + f.properties.times.length, 0)).toBe(rowsA.length);
    const single = doc.features.filter((f) => f.properties.times.length === 1);
    expect(single.every((f) => f.geometry.type === 'Point')).toBe(true);
  });

  it('--output writes the file whole or not at all; bad arguments are refused', async () => {
    await expect(runExport({ ...flags(), format: 'jsonl' })).rejects.toThrow(/--since is required/);
    await expect(runExport({ ...flags(), ...DAY, format: 'kml' })).rejects.toThrow(/--format must be one of/);
    await expect(runExport({ ...flags(), ...DAY, bbox: '1,2,3' })).rejects.toThrow(/--bbox must be W,S,E,N/);
    await expect(runExport({ ...flags(), ...DAY, mmsi: 'abc' })).rejects.toThrow(/--mmsi must be an MMSI: an integer/);
  });

  it('reads a range in windows of any size without losing, repeating or reordering a row', async () => {
    const read = async (opts: Parameters<typeof positionsByTime>[2]): Promise<string[]> => {
      const out: string[] = [];
      for await (const page of positionsByTime(a.pool, { fromMs: Date.parse(DAY.since), toMs: Date.parse(DAY.until) }, opts)) {
        for (const r of page) out.push(`${r.ts},${r.mmsi}`);
      }
      return out;
    };
    const whole = await read({ firstWindowMs: 86_400_000 });
    const windows: number[] = [];
    // Windows of 1 s to start with, aiming at 5,000 rows: the first hours grow 8-fold each, then
    // the rows of the fixture's 16 minutes spread over several windows.
    const small = await read({ firstWindowMs: 1000, targetWindowRows: 1, onWindow: (w) => windows.push(w.rows) });
    expect(whole).toHaveLength(rowsA.length);
    expect(small).toEqual(whole);
    expect(windows.length).toBeGreaterThan(5);
    expect(whole).toEqual([...whole].sort((x, y) => Number(x.split(',')[0]) - Number(y.split(',')[0]) || Number(x.split(',')[1]) - Number(y.split(',')[1])));
  });
});

describe('aisctl search', () => {
  interface Hit {
    mmsi: number;
    name: string | null;
    callsign: string | null;
    imo: number | null;
    match: string;
  }
  const search = async (text: string, limit?: string): Promise<Hit[]> => {
    const r = await capture(() => runSearch(text, { ...flags(), json: true, ...(limit === undefined ? {} : { limit }) }));
    expect(r.code, r.err).toBe(0);
    return (JSON.parse(r.out) as { vessels: Hit[] }).vessels;
  };
  let known: { mmsi: number; name: string; callsign: string; imo: number };

  beforeAll(async () => {
    const r = await a.pool.query<{ mmsi: number; name: string; callsign: string; imo: number }>(
      'SELECT mmsi, name, callsign, imo FROM vessels WHERE name IS NOT NULL AND callsign IS NOT NULL AND imo IS NOT NULL ORDER BY mmsi LIMIT 1',
    );
    const row = r.rows[0];
    if (row === undefined) throw new Error('the fixture has no vessel with name, call sign and IMO');
    known = row;
  });

  it('by any part of the name, case-insensitively', async () => {
    const word = known.name.split(' ').at(-1) ?? known.name;
    const hits = await search(word.toLowerCase());
    expect(hits.map((h) => h.mmsi)).toContain(known.mmsi);
    expect(hits.every((h) => (h.name ?? '').toUpperCase().includes(word.toUpperCase()) || (h.callsign ?? '').startsWith(word.toUpperCase()))).toBe(true);
    const exact = await search(known.name);
    expect(exact[0]).toMatchObject({ mmsi: known.mmsi, match: 'exact' });
  });

  it('by call sign prefix, IMO number and MMSI prefix', async () => {
    expect((await search(known.callsign.slice(0, 3))).map((h) => h.mmsi)).toContain(known.mmsi);
    expect(await search(`IMO${known.imo}`)).toEqual([expect.objectContaining({ mmsi: known.mmsi, imo: known.imo, match: 'exact' })]);
    const prefix = String(known.mmsi).slice(0, 4);
    const byPrefix = await search(prefix);
    expect(byPrefix.map((h) => h.mmsi)).toContain(known.mmsi);
    expect(byPrefix.every((h) => String(h.mmsi).startsWith(prefix) || (h.name ?? '').includes(prefix))).toBe(true);
    expect(await search(String(known.mmsi))).toEqual([expect.objectContaining({ mmsi: known.mmsi, match: 'exact' })]);
  });

  it('LIKE wildcards in the text are literal; no match is an empty answer; --limit caps it', async () => {
    expect(await search('%%')).toEqual([]);
    expect(await search('__')).toEqual([]);
    expect(await search('NO SUCH VESSEL')).toEqual([]);
    await expect(runSearch('2', flags())).rejects.toThrow(/TEXT must be 2 to 64 characters/);
    await expect(runSearch('ER', { ...flags(), limit: '1000' })).rejects.toThrow(/--limit must be an integer between 1 and 100/);
    const er = await a.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM vessels WHERE upper(name) LIKE '%ER%' OR upper(callsign) LIKE 'ER%'");
    expect(er.rows[0]?.n).toBeGreaterThan(2);
    expect(await search('ER')).toHaveLength(Math.min(20, er.rows[0]?.n ?? 0));
    expect(await search('ER', '2')).toHaveLength(2);
  });

  it('soft-deleted vessels are not found', async () => {
    await a.pool.query('UPDATE vessels SET deleted_at = now() WHERE mmsi = $1', [known.mmsi]);
    try {
      expect((await search(String(known.mmsi))).map((h) => h.mmsi)).toEqual([]);
    } finally {
      await a.pool.query('UPDATE vessels SET deleted_at = NULL WHERE mmsi = $1', [known.mmsi]);
    }
  });
});
