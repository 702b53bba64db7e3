/**
 * The HTML report of a short `aisctl load` run (built CLI, real Redis and PostgreSQL) opened in
 * a real headless Chromium: its charts are drawn (SVG with plotted series), and the page loads
 * nothing but itself.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, ensureBuilt, jsonOutput, runCli } from '../../testing/cli.js';
import { artifactDir, CHROMIUM_MISSING, chromiumAvailable, launchChromium, type Chromium } from '../../testing/chromium.js';
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from '../../testing/services.js';

let db: TestDatabase;
let redis: TestRedis;
let dir: string;
let browser: Chromium | undefined;

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'aisctl-html-report-'));
  db = await createTestDatabase('htmlrep');
  redis = await createTestRedis('htmlrep');
  if (chromiumAvailable()) browser = await launchChromium({ width: 1100, height: 900 });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await redis?.cleanup();
  await db?.drop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe.skipIf(!chromiumAvailable())('the HTML report of aisctl load in headless Chromium', () => {
  it('has its charts drawn and requests nothing but its own file', async () => {
    const conn = ['--database-url', db.url, '--redis-url', redis.url, '--env', redis.prefix, '--reports-dir', join(dir, 'reports')];
    const r = await runCli(
      ['load', '--rate', '300', '--duration', '3s', '--warmup', '0s', '--vessels', '200', '--name', 'browser', '--json', '--gate', 'p99<10s', ...conn],
      {
        timeoutMs: 120_000,
      },
    );
    expect(r.code, describeResult(r)).toBe(0);
    const html = jsonOutput<{ reportFiles: string[] }>(r).reportFiles.find((f) => f.endsWith('.html'));
    expect(html).toBeDefined();
    const fileUrl = pathToFileURL(html ?? '').href;

    const page = await (browser as Chromium).context.newPage();
    const requested: string[] = [];
    page.on('request', (q) => requested.push(q.url()));
    await page.goto(fileUrl);
    await page.waitForSelector('svg.chart', { state: 'attached' });

    const labels = await page.$$eval('svg.chart', (svgs) => svgs.map((s) => s.getAttribute('aria-label')));
    expect(labels).toEqual(
      expect.arrayContaining(['Throughput per second', 'Latency over time', 'Deadlocks and errors per second', 'Latency by percentile (warm-up excluded)']),
    );
    // Each line chart plots its series: a path through more than one point, laid out with a size.
    const throughput = await page.$eval('svg.chart[aria-label="Throughput per second"]', (svg) => ({
      paths: [...svg.querySelectorAll('path.series')].map((p) => (p.getAttribute('d') ?? '').split(/[ML]/).filter((s: string) => s.trim() !== '').length),
      width: svg.getBoundingClientRect().width,
    }));
    expect(throughput.width).toBeGreaterThan(100);
    expect(Math.max(...throughput.paths)).toBeGreaterThan(1);
    expect(await page.$$eval('svg.chart[aria-label^="Latency by percentile"] rect.bar', (bars) => bars.length)).toBeGreaterThan(0);
    expect(await page.textContent('body')).toContain('p99<10s');

    // Nothing external: no request but the file, and no attribute that would reach a host.
    expect(requested).toEqual([fileUrl]);
    const external = await page.$$eval('[src], [href], [srcset], [action]', (els) =>
      els.flatMap((e) => ['src', 'href', 'srcset', 'action'].map((a) => e.getAttribute(a) ?? '')).filter((v) => /^(https?:)?\/\//i.test(v.trim())),
    );
    expect(external).toEqual([]);
    mkdirSync(artifactDir(), { recursive: true });
    await page.screenshot({ path: join(artifactDir(), 'html-report.png'), fullPage: true });
    await page.close();
  }, 180_000);
});

describe.skipIf(chromiumAvailable())('the HTML report of aisctl load in headless Chromium', () => {
  it.skip(CHROMIUM_MISSING, () => undefined);
});
