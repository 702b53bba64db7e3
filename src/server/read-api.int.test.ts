/**
 * The read API of `aisctl serve` on the real servers: data goes in through the serve runtime's
 * pipeline, and comes back through GET /v1/vessels/{mmsi}, /v1/vessels/{mmsi}/track, /v1/near
 * and /v1/search, with good and bad parameters; then the token rule, in process and as the
 * built CLI, bound to 0.0.0.0 but reached only over loopback (127.0.0.1).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionReport, StaticReport } from '../normalize/message.js';
import { startServe, type ServeHandle } from '../cli/commands/serve.js';
import { describeResult, ensureBuilt, PROJECT_ROOT, runCli, startCli, type RunningCli } from '../testing/cli.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../testing/services.js';
import { markSoftDeleted } from '../store/redis/soft-delete-marks.js';

let db: TestDatabase;
let redis: TestRedis;
let dir: string;
const NOW = Date.now();
const T0 = NOW - 10 * 60_000;
/** Rotterdam approaches: ONE at the centre, TWO ~2.2 km north, THREE ~5.5 km east; OLD reported 2 hours ago. */
const CENTER = { lat: 51.98, lon: 4.05 };
const ONE = 244660001;
const TWO = 244660002;
const THREE = 244660003;
const OLD = 244660004;
const DELETED = 244660005;
/** Last heard 25 hours ago: older than the default live TTL (24 h). */
const STALE = 244661006;
/** Soft-deleted in Redis only (its PostgreSQL row was not changed). */
const MARKED = 244661007;

function position(mmsi: number, ts: number, lat: number, lon: number): PositionReport {
  return {
    kind: 'position',
    mmsi,
    ts,
    lat,
    lon,
    sog: 10.5,
    cog: 0,
    heading: 1,
    navStatus: 0,
    source: 'terrestrial',
    msgType: 1,
    origin: { file: 'test', line: 0 },
  };
}

function staticReport(mmsi: number, name: string, callsign: string, imo: number): StaticReport {
  return {
    kind: 'static',
    mmsi,
    ts: T0,
    name,
    callsign,
    imo,
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

/** Degrees as a decoded report carries them (whole 1/10,000 minutes), which the stores keep exactly. */
const aisDegrees = (deg: number): number => Math.round(deg * 600_000) / 600_000;

/** ONE's 30 fixes, one a minute from T0 going north. */
const ONE_TRACK = Array.from({ length: 30 }, (_, i) => position(ONE, T0 - 20 * 60_000 + i * 60_000, aisDegrees(CENTER.lat - 0.005 + i * 0.0002), CENTER.lon));

interface FeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: string; coordinates: number[] | number[][] }; properties: Record<string, unknown> & { times?: string[] } }[];
  [member: string]: unknown;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: Record<string, unknown> }> {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
}

async function badRequest(url: string, parameter: string, message: RegExp): Promise<void> {
  const r = await get(url);
  expect({ status: r.status, body: r.body }).toMatchObject({ status: 400, body: { parameter } });
  expect(String(r.body['error'])).toMatch(message);
}

beforeAll(async () => {
  db = await createTestDatabase('readapi');
  redis = await createTestRedis('readapi');
  dir = mkdtempSync(join(tmpdir(), 'aisctl-readapi-'));
});

afterAll(async () => {
  await redis?.cleanup();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('GET /v1/* on aisctl serve (loopback, no token)', () => {
  let serve: ServeHandle;
  let base: string;

  beforeAll(async () => {
    serve = await startServe({ redisUrl: redis.url, databaseUrl: db.url, env: redis.prefix, host: '127.0.0.1', port: 0, spoolDir: join(dir, 'spool') });
    base = serve.url;
    const p = serve.runtime.pipeline;
    p.submit(position(STALE, NOW - 25 * 3_600_000, CENTER.lat + 0.002, CENTER.lon), performance.now());
    // OLD first: fusion runs on event time, and a report older than the watermark by more than
    // the lateness window would go to history without becoming live state.
    p.submit(position(OLD, NOW - 2 * 3_600_000, CENTER.lat + 0.001, CENTER.lon + 0.001), performance.now());
    for (const r of ONE_TRACK) p.submit(r, performance.now());
    // At the newest time so far: within fusion's lateness window, so they become live state.
    const latest = ONE_TRACK.at(-1)?.ts ?? T0;
    p.submit(position(TWO, latest, 52.0, 4.05), performance.now());
    p.submit(position(THREE, latest, 51.98, 4.13), performance.now());
    p.submit(position(DELETED, latest, 51.981, 4.051), performance.now());
    p.submit(position(MARKED, latest, 51.982, 4.051), performance.now());
    p.submit(staticReport(ONE, 'NEAR ONE', 'PDAB', 9_811_000), performance.now());
    p.submit(staticReport(TWO, 'MIDDLE TWO', 'PDXY', 9_822_000), performance.now());
    p.submit(staticReport(DELETED, 'GONE FIVE', 'PDZZ', 9_833_000), performance.now());
    await p.flush();
    expect(p.counters.positionsInserted).toBe(36);
    await serve.runtime.pool.query('UPDATE vessels SET deleted_at = now() WHERE mmsi = $1', [DELETED]);
    await markSoftDeleted(serve.runtime.redis, redis.prefix, MARKED, true, { buckets: serve.runtime.buckets });
  });

  afterAll(async () => {
    await serve?.stop();
  });

  it('GET /v1/vessels/{mmsi}: the PostgreSQL record and the Redis live state', async () => {
    const r = await get(`${base}/v1/vessels/${ONE}`);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    const last = ONE_TRACK.at(-1);
    expect(r.body).toMatchObject({
      mmsi: ONE,
      vessel: { mmsi: ONE, name: 'NEAR ONE', callsign: 'PDAB', imo: 9_811_000, firstSeen: new Date(ONE_TRACK[0]?.ts ?? 0).toISOString() },
      live: { position: { ts: new Date(last?.ts ?? 0).toISOString(), lat: last?.lat, lon: last?.lon, sog: 10.5 }, static: { name: 'NEAR ONE' } },
    });
  });

  it('GET /v1/vessels/{mmsi}: 404 unknown or soft-deleted, 400 for a malformed MMSI or an unknown parameter, 405 for POST', async () => {
    expect((await get(`${base}/v1/vessels/999999999`)).status).toBe(404);
    expect((await get(`${base}/v1/vessels/${DELETED}`)).status).toBe(404);
    expect((await get(`${base}/v1/vessels/${MARKED}`)).status).toBe(404);
    // Older than the live TTL: the record, but no live state.
    const stale = await get(`${base}/v1/vessels/${STALE}`);
    expect(stale.body).toMatchObject({ mmsi: STALE, vessel: { mmsi: STALE }, live: null, clock: { kind: 'wall' } });
    for (const bad of ['abc', '1234567890', '0', '%E2%82%AC', '-5'])
      await badRequest(`${base}/v1/vessels/${bad}`, 'mmsi', /mmsi must be an MMSI: an integer of up to 9 digits/);
    await badRequest(`${base}/v1/vessels/${ONE}?verbose=1`, 'verbose', /unknown parameter 'verbose'/);
    const post = await fetch(`${base}/v1/vessels/${ONE}`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await get(`${base}/v1/vessels/${ONE}/trail`)).status).toBe(404);
    expect((await get(`${base}/v1/nowhere`)).status).toBe(404);
  });

  it('GET /v1/vessels/{mmsi}/track: GeoJSON (RFC 7946) in time order, [lon, lat], one time per point', async () => {
    const since = new Date(ONE_TRACK[5]?.ts ?? 0).toISOString();
    const until = new Date(ONE_TRACK[25]?.ts ?? 0).toISOString();
    const r = await get(`${base}/v1/vessels/${ONE}/track?since=${since}&until=${until}`);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/geo\+json/);
    const doc = r.body as unknown as FeatureCollection;
    const expected = ONE_TRACK.slice(5, 25);
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features).toHaveLength(1);
    expect(doc.features[0]?.geometry).toEqual({ type: 'LineString', coordinates: expected.map((p) => [p.lon, p.lat]) });
    expect(doc.features[0]?.properties).toEqual({ mmsi: ONE, times: expected.map((p) => new Date(p.ts).toISOString()) });
    expect(doc).toMatchObject({ mmsi: ONE, since, until, count: 20, truncated: false });
    expect(doc['next']).toBeUndefined();
  });

  it('GET /v1/vessels/{mmsi}/track: limit pages through `next` without losing or repeating a point; defaults to the last 24 h', async () => {
    let url: string | undefined = `/v1/vessels/${ONE}/track?since=${encodeURIComponent(new Date(T0 - 3_600_000).toISOString())}&limit=7`;
    const times: string[] = [];
    const counts: number[] = [];
    while (url !== undefined) {
      const r = await get(`${base}${url}`);
      expect(r.status).toBe(200);
      const doc = r.body as unknown as FeatureCollection;
      counts.push(Number(doc['count']));
      for (const f of doc.features) times.push(...(f.properties.times ?? []));
      url = doc['next'] as string | undefined;
    }
    expect(counts).toEqual([7, 7, 7, 7, 2]);
    expect(times).toEqual(ONE_TRACK.map((p) => new Date(p.ts).toISOString()));
    const recent = (await get(`${base}/v1/vessels/${ONE}/track`)).body as unknown as FeatureCollection;
    expect(recent['count']).toBe(30);
  });

  it('GET /v1/vessels/{mmsi}/track: bad and over-long ranges and limits are 400s naming the parameter; unknown vessels 404', async () => {
    const t = `${base}/v1/vessels/${ONE}/track`;
    await badRequest(`${t}?since=yesterday`, 'since', /since must be an ISO 8601 time/);
    await badRequest(`${t}?since=1h&until=whenever`, 'until', /until must be/);
    await badRequest(`${t}?since=1h&until=2h`, 'since', /must be before until/);
    await badRequest(`${t}?since=40d`, 'since', /at most 31 days/);
    await badRequest(`${t}?limit=0`, 'limit', /limit must be an integer between 1 and 10000/);
    await badRequest(`${t}?limit=10001`, 'limit', /between 1 and 10000/);
    await badRequest(`${t}?since=1h&since=2h`, 'since', /more than once/);
    await badRequest(`${t}?bbox=1,2,3,4`, 'bbox', /unknown parameter/);
    expect((await get(`${base}/v1/vessels/999999999/track`)).status).toBe(404);
    expect((await get(`${base}/v1/vessels/${DELETED}/track`)).status).toBe(404);
  });

  it('GET /v1/near: a GeoJSON FeatureCollection of Points, nearest first, within radius and max_age', async () => {
    const r = await get(`${base}/v1/near?lat=${CENTER.lat}&lon=${CENTER.lon}&radius=10km`);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/geo\+json/);
    const doc = r.body as unknown as FeatureCollection;
    const mmsis = doc.features.map((f) => f.properties['mmsi']);
    expect(mmsis.slice(0, 2)).toContain(ONE);
    expect(mmsis).toEqual(expect.arrayContaining([ONE, TWO, THREE, OLD]));
    // Redis keeps the live state of a soft-deleted vessel; the API hides it, whichever store marks it.
    expect(mmsis).not.toContain(DELETED);
    expect(mmsis).not.toContain(MARKED);
    // Never older than the live TTL, even asked for more, and before any prune.
    expect(mmsis).not.toContain(STALE);
    expect(doc).toMatchObject({ maxAgeSeconds: 86_400, clock: { kind: 'wall' } });
    const wide = (await get(`${base}/v1/near?lat=${CENTER.lat}&lon=${CENTER.lon}&radius=10km&max_age=2d`)).body as unknown as FeatureCollection;
    expect(wide.features.map((f) => f.properties['mmsi'])).not.toContain(STALE);
    const distances = doc.features.map((f) => Number(f.properties['distanceMeters']));
    expect(distances).toEqual([...distances].sort((x, y) => x - y));
    const one = doc.features.find((f) => f.properties['mmsi'] === ONE);
    const last = ONE_TRACK.at(-1);
    expect(one?.geometry).toEqual({ type: 'Point', coordinates: [last?.lon, last?.lat] });
    expect(one?.properties).toMatchObject({ name: 'NEAR ONE', time: new Date(last?.ts ?? 0).toISOString(), sog: 10.5 });

    const fresh = (await get(`${base}/v1/near?lat=${CENTER.lat}&lon=${CENTER.lon}&radius=10km&max_age=1h`)).body as unknown as FeatureCollection;
    expect(fresh.features.map((f) => f.properties['mmsi'])).not.toContain(OLD);
    expect(fresh.features.map((f) => f.properties['mmsi'])).toContain(THREE);
    const close = (await get(`${base}/v1/near?lat=${CENTER.lat}&lon=${CENTER.lon}&radius=3000`)).body as unknown as FeatureCollection;
    expect(close.features.map((f) => f.properties['mmsi'])).not.toContain(THREE);
    const one1 = (await get(`${base}/v1/near?lat=${CENTER.lat}&lon=${CENTER.lon}&limit=1`)).body as unknown as FeatureCollection;
    expect(one1.features).toHaveLength(1);
  });

  it('GET /v1/near: missing or bad coordinates, radius over the cap, bad max_age and limit are 400s', async () => {
    const n = `${base}/v1/near`;
    await badRequest(`${n}?lon=4`, 'lat', /lat is required/);
    await badRequest(`${n}?lat=52`, 'lon', /lon is required/);
    await badRequest(`${n}?lat=91&lon=4`, 'lat', /lat must be decimal degrees/);
    await badRequest(`${n}?lat=52&lon=east`, 'lon', /lon must be decimal degrees/);
    await badRequest(`${n}?lat=52&lon=4&radius=500km`, 'radius', /at most 100 km/);
    await badRequest(`${n}?lat=52&lon=4&radius=-1`, 'radius', /radius must be a distance/);
    await badRequest(`${n}?lat=52&lon=4&max_age=recent`, 'max_age', /max_age must be a duration/);
    await badRequest(`${n}?lat=52&lon=4&max_age=600`, 'max_age', /a unit is required: 600s\?/);
    await badRequest(`${n}?lat=52&lon=4&limit=501`, 'limit', /between 1 and 500/);
  });

  it('GET /v1/search: by name, call sign, IMO and MMSI prefix; soft-deleted vessels are not found', async () => {
    const q = async (text: string): Promise<{ mmsi: number; match: string }[]> => {
      const r = await get(`${base}/v1/search?q=${encodeURIComponent(text)}`);
      expect(r.status).toBe(200);
      return r.body['vessels'] as { mmsi: number; match: string }[];
    };
    expect((await q('near')).map((v) => v.mmsi)).toEqual([ONE]);
    // Equal rank (call-sign prefix), then by name.
    expect((await q('pd')).map((v) => v.mmsi)).toEqual([TWO, ONE]);
    expect(await q('9822000')).toEqual([expect.objectContaining({ mmsi: TWO, match: 'exact' })]);
    expect((await q('24466000')).map((v) => v.mmsi)).toEqual([TWO, ONE, THREE, OLD]);
    expect(await q('gone')).toEqual([]);
    expect((await get(`${base}/v1/search?q=NE&limit=1`)).body['count']).toBe(1);
  });

  it('GET /v1/search: q missing, too short, too long or repeated, and bad limits, are 400s', async () => {
    const s = `${base}/v1/search`;
    await badRequest(s, 'q', /q is required/);
    await badRequest(`${s}?q=a`, 'q', /2 to 64 characters/);
    await badRequest(`${s}?q=${'x'.repeat(65)}`, 'q', /2 to 64 characters/);
    await badRequest(`${s}?q=ab&q=cd`, 'q', /more than once/);
    await badRequest(`${s}?q=ab&limit=101`, 'limit', /between 1 and 100/);
    // Quotes and SQL in the text are data: bound parameters.
    expect((await get(`${s}?q=${encodeURIComponent("x' OR 1=1 --")}`)).body['count']).toBe(0);
  });

  it('HEAD answers the headers of GET without a body', async () => {
    const res = await fetch(`${base}/v1/vessels/${ONE}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(10);
    expect(await res.text()).toBe('');
  });
});

describe('the token rule', () => {
  const TOKEN = 'f3a9c2d4e5b6a7980f1e2d3c4b5a6978';
  const NMEA = `${readFileSync(join(PROJECT_ROOT, 'fixtures', 'harbour.nmea'), 'utf8')
    .split('\n')
    .slice(0, 3)
    .join('\n')}\n`;

  it('bound to 0.0.0.0 with a token: every endpoint but /healthz and /metrics needs it (reached over 127.0.0.1)', async () => {
    const serve = await startServe({
      redisUrl: redis.url,
      databaseUrl: db.url,
      env: `${redis.prefix}_tok`,
      host: '0.0.0.0',
      port: 0,
      spoolDir: join(dir, 'spool-tok'),
      token: TOKEN,
    });
    try {
      const port = new URL(serve.url).port;
      const base = `http://127.0.0.1:${port}`;
      const auth = { authorization: `Bearer ${TOKEN}` };
      for (const path of [`/v1/vessels/${ONE}`, `/v1/vessels/${ONE}/track`, '/v1/near?lat=52&lon=4', '/v1/search?q=near', '/v1/nowhere']) {
        const res = await fetch(`${base}${path}`);
        expect({ path, status: res.status }).toEqual({ path, status: 401 });
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="aisctl"');
        expect((await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` } })).status).toBe(401);
      }
      const noToken = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: NMEA });
      expect(noToken.status).toBe(401);
      const withToken = await fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'text/plain', ...auth }, body: NMEA });
      expect(withToken.status).toBe(202);
      expect((await fetch(`${base}/v1/search?q=near`, { headers: auth })).status).toBe(200);
      expect((await fetch(`${base}/v1/vessels/999999999`, { headers: auth })).status).toBe(404);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
    } finally {
      await serve.stop();
    }
  });

  describe('the built CLI', () => {
    let tokenFile: string;
    const conn = (): string[] => [
      '--port',
      '0',
      '--database-url',
      db.url,
      '--redis-url',
      redis.url,
      '--env',
      `${redis.prefix}_cli`,
      '--spool-dir',
      join(dir, 'spool-cli'),
    ];

    beforeAll(() => {
      ensureBuilt();
      tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, `${TOKEN}\n`);
      chmodSync(tokenFile, 0o600);
    }, 300_000);

    async function started(args: readonly string[]): Promise<{ run: RunningCli; url: string; out: () => string }> {
      const run = startCli(['serve', ...args, ...conn()], { timeoutMs: 120_000 });
      let out = '';
      run.child.stdout?.on('data', (d: Buffer | string) => (out += d.toString()));
      const deadline = Date.now() + 60_000;
      while (!/read API: .*\n/.test(out)) {
        if (run.exited()) throw new Error(`serve exited early: ${describeResult(await run.result)}`);
        if (Date.now() > deadline) throw new Error(`serve did not start: ${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const port = /listening on http:\/\/\S+:(\d+)/.exec(out)?.[1] ?? '';
      return { run, url: `http://127.0.0.1:${port}`, out: () => out };
    }

    async function stop(run: RunningCli): Promise<void> {
      run.child.kill('SIGTERM');
      const r = await run.result;
      expect(r.code, describeResult(r)).toBe(0);
    }

    it('refuses to start on 0.0.0.0 without --token-file or --no-auth, and says why', async () => {
      const r = await runCli(['serve', '--host', '0.0.0.0', ...conn()], { timeoutMs: 60_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/--host 0\.0\.0\.0 is not a loopback address, so serve requires a bearer token: pass --token-file FILE .* or --no-auth/);
    });

    it('--token-file on 0.0.0.0: start-up names the rule; the token is required over 127.0.0.1', async () => {
      const s = await started(['--host', '0.0.0.0', '--token-file', tokenFile]);
      try {
        expect(s.out()).toContain(`auth: bearer token from ${tokenFile} required on every endpoint (GET /healthz and GET /metrics stay open)`);
        expect((await fetch(`${s.url}/v1/search?q=near`)).status).toBe(401);
        expect((await fetch(`${s.url}/v1/search?q=near`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
        expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      } finally {
        await stop(s.run);
      }
    });

    it('--no-auth on 0.0.0.0 is explicit and said loudly at start-up; loopback needs nothing', async () => {
      const open = await started(['--host', '0.0.0.0', '--no-auth']);
      try {
        expect(open.out()).toContain('auth: NONE (--no-auth) on 0.0.0.0: anyone who can reach this port can read vessel data and post messages');
        expect((await fetch(`${open.url}/v1/search?q=near`)).status).toBe(200);
      } finally {
        await stop(open.run);
      }
      const local = await started([]);
      try {
        expect(local.out()).toContain('auth: none, 127.0.0.1 is a loopback address');
        expect((await fetch(`${local.url}/v1/search?q=near`)).status).toBe(200);
      } finally {
        await stop(local.run);
      }
    });
  });
});
