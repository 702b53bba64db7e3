/**
 * Regenerates the pictures of docs/images/ and measures the map's frame time:
 *
 *   node --import tsx scripts/screenshots.ts [--vessels 50000] [--out docs/images]
 *
 * Starts the built `aisctl serve` on a scratch PostgreSQL database and Redis environment (both
 * removed afterwards), posts a generated fleet (seeded: the same fleet every time) around real
 * ports and along shipping lanes, then a short stream of position updates, and opens the map in
 * Debian's headless Chromium: the world, a harbour with a vessel's panel open, and the time of
 * drawing frames while the view pans and zooms, with every vessel and with none (land only, the
 * ceiling the vessels are measured against). Then runs a short `aisctl load` and takes its HTML
 * report. Needs `npm run build`, Redis and PostgreSQL as for the tests, and /usr/bin/chromium.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { seededRandom } from '../src/utils/seeded-random.js';
import { ensureBuilt, jsonOutput, PROJECT_ROOT, runCli, startCli } from '../src/testing/cli.js';
import { CHROMIUM_MISSING, chromiumAvailable, launchChromium } from '../src/testing/chromium.js';
import { createTestDatabase, createTestRedis } from '../src/testing/services.js';

const { values: flags } = parseArgs({
  options: { vessels: { type: 'string', default: '50000' }, out: { type: 'string', default: 'docs/images' }, seed: { type: 'string', default: '7' } },
});
const VESSELS = Number(flags.vessels);
const OUT = resolve(PROJECT_ROOT, flags.out ?? 'docs/images');
if (!Number.isInteger(VESSELS) || VESSELS < 1 || VESSELS > 100_000) throw new Error(`--vessels must be 1..100000: got ${flags.vessels}`);
if (!chromiumAvailable()) throw new Error(CHROMIUM_MISSING);

/** Busy waters: [lat, lon, weight]. */
const PORTS: [number, number, number][] = [
  [51.96, 3.95, 5], // Rotterdam
  [1.22, 103.85, 5], // Singapore Strait
  [31.1, 122.2, 4], // Shanghai
  [33.68, -118.25, 3], // Los Angeles / Long Beach
  [53.95, 8.5, 2], // Elbe mouth
  [29.3, -94.6, 2], // Galveston Bay
  [-24.05, -46.3, 1], // Santos
  [25.05, 54.95, 2], // Jebel Ali
  [35.3, 139.8, 3], // Tokyo Bay
  [35.95, -5.5, 2], // Gibraltar
  [29.85, 32.55, 2], // Suez
  [8.95, -79.5, 2], // Panama
  [18.9, 72.75, 1], // Mumbai
  [35.05, 129.05, 2], // Busan
  [40.5, -73.95, 2], // New York
  [37.9, 23.55, 1], // Piraeus
  [22.2, 114.1, 3], // Hong Kong
];

/** Sea lanes as waypoints [lat, lon]. */
const LANES: [number, number][][] = [
  [
    [51.2, 1.6],
    [49.9, -2],
    [48.7, -5.6],
    [43.6, -9.8],
    [37, -9.4],
    [35.95, -5.6],
  ],
  [
    [35.95, -5.4],
    [37.3, 1],
    [37.5, 10.8],
    [35.2, 15],
    [33.8, 25],
    [31.7, 32.3],
  ],
  [
    [29.6, 32.6],
    [27.5, 34],
    [20, 38.7],
    [12.6, 43.4],
    [12.2, 51],
    [8, 70],
    [6, 80.5],
    [5.8, 95],
    [3, 100.5],
    [1.25, 103.8],
  ],
  [
    [1.3, 104.3],
    [5, 105.5],
    [10, 109.6],
    [17, 112],
    [22, 114.8],
    [26, 120],
    [31, 122.6],
  ],
  [
    [22.2, 114.2],
    [25.5, 122.5],
    [30.5, 128],
    [34.2, 129.4],
  ],
  [
    [34.2, 129.6],
    [34.6, 136],
    [35, 139.7],
  ],
  [
    [40.4, -73.6],
    [40, -60],
    [38.5, -40],
    [37, -20],
    [36, -6],
  ],
  [
    [8.4, -79.6],
    [12, -88],
    [16, -98],
    [23, -108],
    [33.6, -118.2],
  ],
  [
    [29.2, -94.6],
    [26, -88],
    [24.4, -83],
    [25.5, -79.9],
    [31, -79.5],
    [36, -74.8],
    [40.4, -73.6],
  ],
  [
    [-23.9, -46.2],
    [-30, -25],
    [-34.6, 0],
    [-34.8, 18],
  ],
  [
    [51.95, 3.9],
    [53, 4.4],
    [53.95, 8.3],
  ],
  [
    [54, 7.8],
    [55.5, 7.2],
    [57.5, 8.5],
    [57.9, 10.7],
  ],
  [
    [25.1, 55],
    [26.5, 56.6],
    [24.5, 59],
    [21, 64],
    [18.9, 72.6],
  ],
];
const SHIP_TYPES = [70, 70, 70, 71, 79, 80, 80, 84, 60, 69, 30, 30, 52, 31, 37, 36, 40, 0, 90];
const NAMES = [
  'NORTHERN',
  'ATLANTIC',
  'PACIFIC',
  'MAERSK',
  'EVER',
  'COSCO',
  'STAR',
  'OCEAN',
  'SEA',
  'BALTIC',
  'NORDIC',
  'GOLDEN',
  'SILVER',
  'BLUE',
  'CAPE',
  'HARBOUR',
];
const SUFFIXES = ['SPIRIT', 'TRADER', 'VOYAGER', 'PIONEER', 'LEADER', 'EXPRESS', 'GLORY', 'PRIDE', 'DAWN', 'HORIZON', 'WAVE', 'BREEZE'];

interface Ship {
  mmsi: number;
  lat: number;
  lon: number;
  heading: number | null;
  sog: number;
  shipType: number;
  name: string;
}

interface Topology {
  readonly objects: { readonly land: unknown };
}
interface LandGeometry {
  readonly type: string;
  readonly coordinates: number[][][] | number[][][][];
}
interface TopojsonClient {
  feature(topology: Topology, object: unknown): { features?: { geometry: LandGeometry }[]; geometry?: LandGeometry };
}

/** Natural Earth 1:50m land rings with their boxes, to keep generated vessels off the land. */
function landRings(): { ring: number[][]; box: [number, number, number, number] }[] {
  const require = createRequire(import.meta.url);
  const topojson = require('topojson-client') as TopojsonClient;
  const topo = JSON.parse(readFileSync(require.resolve('world-atlas/land-50m.json'), 'utf8')) as Topology;
  const land = topojson.feature(topo, topo.objects.land);
  const geometries = land.features?.map((f) => f.geometry) ?? (land.geometry ? [land.geometry] : []);
  const out: { ring: number[][]; box: [number, number, number, number] }[] = [];
  for (const g of geometries) {
    const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
    for (const polygon of polygons) {
      const ring = polygon[0] ?? [];
      const lons = ring.map((p) => p[0] ?? 0);
      const lats = ring.map((p) => p[1] ?? 0);
      out.push({ ring, box: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] });
    }
  }
  return out;
}

/** Even-odd rule over the outer rings (lakes count as land: no ships there either). */
function onLand(rings: ReturnType<typeof landRings>, lat: number, lon: number): boolean {
  let inside = false;
  for (const { ring, box } of rings) {
    if (lon < box[0] || lon > box[2] || lat < box[1] || lat > box[3]) continue;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi = 0, yi = 0] = ring[i] ?? [];
      const [xj = 0, yj = 0] = ring[j] ?? [];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function generateFleet(n: number, seed: number): Ship[] {
  const rings = landRings();
  const rnd = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const totalWeight = PORTS.reduce((s, p) => s + p[2], 0);
  const ships: Ship[] = [];
  for (let i = 0; i < n; i++) {
    let lat: number;
    let lon: number;
    let heading: number | null;
    let sog: number;
    if (rnd() < 0.55) {
      let w = rnd() * totalWeight;
      const port = PORTS.find((p) => (w -= p[2]) < 0) ?? PORTS[0];
      const [plat, plon] = port as [number, number, number];
      lat = plat + gauss() * 0.3;
      lon = plon + gauss() * 0.4;
      heading = Math.floor(rnd() * 360);
      sog = rnd() < 0.5 ? 0 : rnd() * 14;
    } else {
      const lane = pick(LANES);
      const k = Math.floor(rnd() * (lane.length - 1));
      const [a, b] = [lane[k], lane[k + 1]] as [[number, number], [number, number]];
      const t = rnd();
      lat = a[0] + (b[0] - a[0]) * t + gauss() * 0.25;
      lon = a[1] + (b[1] - a[1]) * t + gauss() * 0.25;
      // Either way along the lane.
      const along = (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI;
      heading = Math.round((along + (rnd() < 0.5 ? 0 : 180) + 360) % 360);
      sog = 8 + rnd() * 12;
    }
    // Ships stay at sea: a position on land is drawn again.
    if (onLand(rings, lat, lon)) {
      i--;
      continue;
    }
    if (rnd() < 0.08) heading = null;
    ships.push({
      mmsi: 211_000_000 + i * 17,
      lat: Math.max(-80, Math.min(80, lat)),
      lon: ((lon + 540) % 360) - 180,
      heading,
      sog: Math.round(sog * 10) / 10,
      shipType: pick(SHIP_TYPES),
      name: `${pick(NAMES)} ${pick(SUFFIXES)}${rnd() < 0.5 ? ` ${1 + Math.floor(rnd() * 9)}` : ''}`,
    });
  }
  return ships;
}

async function post(url: string, lines: string[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 20_000) {
    const res = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${lines.slice(i, i + 20_000).join('\n')}\n`,
    });
    if (res.status !== 202) throw new Error(`POST /v1/messages: ${res.status} ${(await res.text()).slice(0, 500)}`);
  }
}

function positions(ships: readonly Ship[], ts: number, step: number): string[] {
  return ships.map((s) => {
    // Dead reckoning for `step` minutes at the ship's speed.
    const d = (s.sog * step) / 60 / 60;
    const h = ((s.heading ?? 0) * Math.PI) / 180;
    const lat = s.lat + d * Math.cos(h);
    const lon = s.lon + (d * Math.sin(h)) / Math.max(0.2, Math.cos((s.lat * Math.PI) / 180));
    return JSON.stringify({
      kind: 'position',
      mmsi: s.mmsi,
      ts,
      lat,
      lon,
      sog: s.sog,
      cog: s.heading,
      heading: s.heading,
      navStatus: s.sog === 0 ? 1 : 0,
      source: 'screens',
    });
  });
}

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

async function measure(page: Page, label: string): Promise<{ p50: number; p95: number; max: number }> {
  const times = (await page.evaluate('window.aisctlMap.measureFrames(180)')) as number[];
  const r = { p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: Math.max(...times) };
  console.log(`frame draw time, ${label}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms (180 frames)`);
  return r;
}

async function main(): Promise<void> {
  ensureBuilt();
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'aisctl-screens-'));
  const db = await createTestDatabase('screens');
  const redis = await createTestRedis('screens');
  const conn = ['--database-url', db.url, '--redis-url', redis.url, '--env', redis.prefix];
  const serve = startCli(['serve', '--port', '0', '--spool-dir', join(dir, 'spool'), ...conn], { timeoutMs: 3_600_000 });
  // Listening from the start: the start-up line must not pass before anyone reads it.
  const started = new Promise<string>((res, rej) => {
    let out = '';
    serve.child.stdout?.on('data', (d: Buffer | string) => {
      out += d.toString();
      const port = /listening on http:\/\/\S+:(\d+)/.exec(out)?.[1];
      if (port !== undefined && /live map:/.test(out)) res(`http://127.0.0.1:${port}`);
    });
    void serve.result.then((r) => rej(new Error(`serve exited: ${r.stderr}`)));
  });
  const browser = await launchChromium({ width: 1400, height: 860 });
  try {
    const url = await started;
    const ships = generateFleet(VESSELS, Number(flags.seed));
    const t0 = Date.now() - 10 * 60_000;
    console.log(`posting ${VESSELS} vessels to ${url} ...`);
    await post(
      url,
      ships.map((s) =>
        JSON.stringify({ kind: 'static', mmsi: s.mmsi, ts: t0, name: s.name, shipType: s.shipType, callsign: `S${s.mmsi % 100000}`, source: 'screens' }),
      ),
    );
    // A short stream: each vessel reports a few times, minutes apart, so tracks and the panel have data.
    for (let step = 0; step < 4; step++) await post(url, positions(ships, t0 + step * 120_000, step * 2));

    const page = await browser.context.newPage();
    await page.goto(`${url}/`);
    await page.waitForSelector(`#vessel-count:text-is(${JSON.stringify(VESSELS.toLocaleString('en-US'))})`, { state: 'attached', timeout: 120_000 });
    await page.waitForSelector('#pipe-p50:text-matches(" ms$")', { state: 'attached' });
    await page.evaluate('window.aisctlMap.setView(20, 25, 1.6)');
    await page.screenshot({ path: join(OUT, 'map-world.png') });

    const world = await measure(page, `world view, ${VESSELS} vessels`);
    await page.fill('#filter', 'no such vessel');
    const landOnly = await measure(page, 'world view, land only (vessels filtered out)');
    await page.fill('#filter', '');
    await page.evaluate('window.aisctlMap.setView(4.05, 51.97, 9)');
    const harbour = await measure(page, 'Rotterdam approaches');
    console.log(
      `vessels add ${(world.p50 - landOnly.p50).toFixed(1)} ms to a frame at p50 (${(world.p50 / landOnly.p50).toFixed(2)}x land only); ` +
        `p95 ${world.p95.toFixed(1)} ms against a 16.7 ms frame budget at 60 Hz; harbour p50 ${harbour.p50.toFixed(1)} ms`,
    );

    await page.evaluate('window.aisctlMap.setView(3.6, 51.9, 9)');
    const target = ships.find((s) => Math.abs(s.lat - 51.9) < 0.05 && Math.abs(s.lon - 3.6) < 0.1 && s.heading !== null) ?? ships[0];
    const at = (await page.evaluate(`window.aisctlMap.screenPositionOf(${target?.mmsi ?? 0})`)) as { x: number; y: number } | null;
    if (at === null) throw new Error(`vessel ${target?.mmsi} is not on the map`);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('#vessel-track:text-matches("^(track|could not)")', { state: 'attached' });
    await page.screenshot({ path: join(OUT, 'map-harbour.png') });
    await page.close();

    console.log('running a short aisctl load for the HTML report ...');
    const r = await runCli(
      [
        'load',
        '--rate',
        '2000',
        '--duration',
        '20s',
        '--warmup',
        '2s',
        '--vessels',
        '2000',
        '--name',
        'screenshot',
        '--json',
        '--gate',
        'p99<250ms',
        '--reports-dir',
        join(dir, 'reports'),
        ...conn,
      ],
      {
        timeoutMs: 300_000,
      },
    );
    const html = jsonOutput<{ reportFiles: string[] }>(r).reportFiles.find((f) => f.endsWith('.html'));
    if (html === undefined) throw new Error(`aisctl load wrote no HTML report: ${r.stderr}`);
    const report = await browser.context.newPage();
    await report.setViewportSize({ width: 1100, height: 900 });
    await report.goto(pathToFileURL(html).href);
    await report.waitForSelector('svg.chart', { state: 'attached' });
    // The charts, gates and figures; the settings and details below them are text.
    await report.screenshot({ path: join(OUT, 'html-report.png'), fullPage: true, clip: { x: 0, y: 0, width: 1100, height: 1800 } });
    console.log(`wrote ${['map-world.png', 'map-harbour.png', 'html-report.png'].map((f) => join(flags.out ?? OUT, f)).join(', ')}`);
  } finally {
    await browser.close();
    if (!serve.exited()) {
      serve.child.kill('SIGTERM');
      await serve.result;
    }
    await redis.cleanup();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
