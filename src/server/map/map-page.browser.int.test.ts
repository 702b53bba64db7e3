/**
 * The live map of `aisctl serve` in a real headless Chromium, against the built CLI on the real
 * Redis and PostgreSQL: a known fleet goes in through POST /v1/messages, the page shows its
 * count, a click on a vessel opens its panel, a hostile vessel name stays text, and the page
 * asks nothing of any host but aisctl. The endpoints' parameters are checked over plain HTTP.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, ensureBuilt, startCli, type RunningCli } from '../../testing/cli.js';
import { artifactDir, CHROMIUM_MISSING, chromiumAvailable, launchChromium, type Chromium } from '../../testing/chromium.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';
import type { FleetJson } from './fleet-json.js';

const HOSTILE = '</script><script>alert(1)</script>';
const NOW = Date.now();
/** Twelve vessels off Rotterdam on a 4 x 3 grid, ~2 km apart; the last one has the hostile name. */
const FLEET = Array.from({ length: 12 }, (_, i) => ({
  mmsi: 244_770_001 + i,
  lat: 51.95 + Math.floor(i / 4) * 0.02,
  lon: 3.9 + (i % 4) * 0.03,
  heading: i === 3 ? null : (i * 30) % 360,
  cog: i === 3 ? null : (i * 30) % 360,
  shipType: [70, 80, 60, 30, 52, 37, 40, 0, 71, 81, 61, 70][i] ?? 0,
  name: i === 11 ? HOSTILE : `MAPTEST ${i + 1}`,
}));
const TARGET = FLEET[4] ?? FLEET[0];
const EVIL = FLEET[11] ?? FLEET[0];

function messages(): string {
  const lines: string[] = [];
  for (const v of FLEET) {
    lines.push(JSON.stringify({ kind: 'static', mmsi: v.mmsi, ts: NOW - 60_000, name: v.name, shipType: v.shipType, callsign: 'PTEST', source: 'maptest' }));
    for (let k = 0; k < 3; k++) {
      lines.push(
        JSON.stringify({
          kind: 'position',
          mmsi: v.mmsi,
          ts: NOW - 30_000 + k * 10_000,
          lat: v.lat - (2 - k) * 0.001,
          lon: v.lon,
          sog: 8,
          cog: v.cog,
          heading: v.heading,
          navStatus: 0,
          source: 'maptest',
        }),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

let db: TestDatabase;
let redis: TestRedis;
let dir: string;
let serve: RunningCli;
let url = '';

async function startServe(): Promise<void> {
  serve = startCli(['serve', '--port', '0', '--database-url', db.url, '--redis-url', redis.url, '--env', redis.prefix, '--spool-dir', join(dir, 'spool')], {
    timeoutMs: 300_000,
  });
  let out = '';
  serve.child.stdout?.on('data', (d: Buffer | string) => (out += d.toString()));
  // Wait for the start-up line (an event, not a timed guess); give up only if serve exits.
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (/live map: .*\n/.test(out)) resolve();
    };
    serve.child.stdout?.on('data', check);
    void serve.result.then((r) => reject(new Error(`serve exited before it listened: ${describeResult(r)}`)));
  });
  url = `http://127.0.0.1:${/listening on http:\/\/\S+:(\d+)/.exec(out)?.[1] ?? ''}`;
}

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'aisctl-map-'));
  db = await createTestDatabase('map');
  redis = await createTestRedis('map');
  await startServe();
  const res = await fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: messages() });
  // 202 only once every message is durable, so the hot state holds the fleet from here on.
  expect(res.status, await res.clone().text()).toBe(202);
}, 300_000);

afterAll(async () => {
  if (serve !== undefined && !serve.exited()) {
    serve.child.kill('SIGTERM');
    const r = await serve.result;
    expect(r.code, describeResult(r)).toBe(0);
  }
  await redis?.cleanup();
  await db?.drop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}, 120_000);

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('GET /v1/fleet and /v1/pipeline', () => {
  it('answers the live fleet as columns, filtered by bbox and capped by limit', async () => {
    const all = (await getJson('/v1/fleet')).body as unknown as FleetJson;
    expect(all.live).toBe(FLEET.length);
    expect(all.count).toBe(FLEET.length);
    expect([...all.mmsi].sort()).toEqual(FLEET.map((v) => v.mmsi));
    const i = all.mmsi.indexOf(TARGET?.mmsi ?? 0);
    expect(all.name[i]).toBe(TARGET?.name);
    expect(all.lat[i]).toBeCloseTo(TARGET?.lat ?? 0, 5);
    expect(all.dir[all.mmsi.indexOf(FLEET[3]?.mmsi ?? 0)]).toBeNull();
    // The first row of the grid only.
    const box = (await getJson('/v1/fleet?bbox=3.8,51.9,4.1,51.96')).body as unknown as FleetJson;
    expect([...box.mmsi].sort()).toEqual(FLEET.slice(0, 4).map((v) => v.mmsi));
    const capped = (await getJson('/v1/fleet?limit=5')).body as unknown as FleetJson;
    expect(capped.count).toBe(5);
    expect(capped.truncated).toBe(true);
  });

  it.each([
    ['/v1/fleet?bbox=1,2,3', 'bbox'],
    ['/v1/fleet?bbox=4,52,3,51,9', 'bbox'],
    ['/v1/fleet?limit=0', 'limit'],
    ['/v1/fleet?limit=100001', 'limit'],
    ['/v1/fleet?limit=abc', 'limit'],
    ['/v1/fleet?max_age=60', 'max_age'],
    ['/v1/fleet?limit=1&limit=2', 'limit'],
    ['/v1/fleet?mmsi=1', 'mmsi'],
    ['/v1/pipeline?window=5m', 'window'],
  ])('%s is 400 naming %s', async (path, parameter) => {
    const r = await getJson(path);
    expect(r.status).toBe(400);
    expect(r.body['parameter']).toBe(parameter);
    expect(String(r.body['error'])).toContain(parameter);
  });

  it('summarises the pipeline from the registry: messages, latency, breakers, dead-letter queue, sources', async () => {
    const r = await getJson('/v1/pipeline');
    expect(r.status).toBe(200);
    const p = r.body as {
      messages: { total: number };
      latency: { count: number; p50Ms: number | null; p99Ms: number | null };
      breakers: { dependency: string }[];
      sources: { source: string }[];
    };
    expect(p.messages.total).toBeGreaterThanOrEqual(FLEET.length * 4);
    expect(p.latency.count).toBeGreaterThan(0);
    expect(p.latency.p50Ms).not.toBeNull();
    expect(p.latency.p99Ms ?? 0).toBeGreaterThanOrEqual(p.latency.p50Ms ?? 0);
    expect(p.sources.map((s) => s.source)).toContain('maptest');
  });
});

describe.skipIf(!chromiumAvailable())('the map page in headless Chromium', () => {
  let browser: Chromium;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the live vessel count, opens a panel on click, keeps a hostile name as text, follows new vessels, and requests nothing outside aisctl', async () => {
    const page = await browser.context.newPage();
    const requested: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // Waits on the page's own text (Playwright's :text-is / :text-matches), never on time.
    const textIs = (selector: string, text: string) => page.waitForSelector(`${selector}:text-is(${JSON.stringify(text)})`, { state: 'attached' });
    const textMatches = (selector: string, re: string) => page.waitForSelector(`${selector}:text-matches(${JSON.stringify(re)})`, { state: 'attached' });
    await page.goto(`${url}/`);
    await textIs('#vessel-count', String(FLEET.length));
    // The pipeline panel arrived too.
    await textMatches('#pipe-p50', ' ms$');
    await textIs('#pipe-breakers span', 'closed');

    const click = async (mmsi: number): Promise<void> => {
      const at = (await page.evaluate(`window.aisctlMap.screenPositionOf(${mmsi})`)) as { x: number; y: number } | null;
      expect(at, `vessel ${mmsi} is drawn`).not.toBeNull();
      await page.mouse.click(at?.x ?? 0, at?.y ?? 0);
      await textIs('#vessel-mmsi', String(mmsi));
    };

    await click(TARGET?.mmsi ?? 0);
    expect(await page.isVisible('#vessel-panel')).toBe(true);
    await textIs('#vessel-name', TARGET?.name ?? '');
    await textMatches('#vessel-track', '^track: 3 positions');
    expect(await page.textContent('#vessel-fields')).toContain('PTEST');
    mkdirSync(artifactDir(), { recursive: true });
    await page.screenshot({ path: join(artifactDir(), 'map-panel.png') });

    await click(EVIL?.mmsi ?? 0);
    await textIs('#vessel-name', HOSTILE);
    expect(await page.locator('#vessel-name').innerText()).toBe(HOSTILE);
    expect(await page.locator('#vessel-name script').count()).toBe(0);

    await page.fill('#filter', String(EVIL?.mmsi));
    await textIs('#filter-info', '1 match');
    await page.fill('#filter', 'maptest');
    await textIs('#filter-info', `${FLEET.length - 1} matches`);

    // The page follows the hot state by itself: a new vessel appears in the count without a reload.
    const late = { kind: 'position', mmsi: 244_770_099, ts: Date.now(), lat: 51.9, lon: 3.95, sog: 3, cog: 10, heading: 10, navStatus: 0, source: 'maptest' };
    const res = await fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: `${JSON.stringify(late)}\n` });
    expect(res.status).toBe(202);
    await textIs('#vessel-count', String(FLEET.length + 1));

    expect(dialogs).toEqual([]);
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((u) => !u.startsWith(`${url}/`))).toEqual([]);
    await page.close();
  });
});

describe.skipIf(chromiumAvailable())('the map page in headless Chromium', () => {
  it.skip(CHROMIUM_MISSING, () => undefined);
});
