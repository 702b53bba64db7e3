import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsSnapshot, RunInfo, RunSummary } from './run-events.js';
import { REPORT_FORMAT_VERSION, renderMarkdownReport, reportBaseName, writeRunReports, type ReportInput } from './report-writer.js';
import { parseReportDocument } from './report-document.js';
import { renderHtmlReport } from './html-report/html-page.js';
import type { RunSeries } from './run-series.js';

const info: RunInfo = { command: 'load', name: 'ci-smoke', settings: { rate: 1500, duration: '15s', via: 'inprocess' }, plannedMs: 18_000 };

function snap(elapsedMs: number, phase: MetricsSnapshot['phase']): MetricsSnapshot {
  return {
    elapsedMs,
    phase,
    progress: elapsedMs / 18_000,
    throughput: 1498,
    processed: elapsedMs * 1.5,
    latency: { count: 10, p50: 1.2, p95: 4.5, p99: 12.3, p999: 30, max: 41, mean: 2 },
    deadlocks: 0,
    cacheHitRate: 0.971,
    dlqSize: 0,
    late: 0,
    dropped: 0,
    errors: 0,
    queued: 12,
    breakers: { redis: 'closed', postgres: 'closed' },
    sourceQuality: { a: 0.98 },
    extra: {},
  };
}

const summary: RunSummary = {
  command: 'load',
  name: 'ci-smoke',
  startedAt: '2025-06-01T12:30:05.123Z',
  durationMs: 18_000,
  metrics: { throughput: 1498.4, p50: 1.2, p99: 12.3, errors: 0, deadlocks: 0, cache_hit_rate: 0.971 },
  gates: [
    { expression: 'p99<250ms', metric: 'p99', actual: 12.3, passed: true },
    { expression: 'errors==0', metric: 'errors', actual: 0, passed: true },
    { expression: 'dlq_size==0', metric: 'dlq_size', actual: null, passed: false },
  ],
  details: { rejectedByReason: { bad_checksum: 3 } },
  reportFiles: [],
};

const input: ReportInput = {
  info,
  summary,
  snapshots: [snap(1000, 'warmup'), ...Array.from({ length: 30 }, (_, i) => snap(3000 + i * 500, 'measure'))],
  distribution: [
    { percentile: 50, ms: 1.2 },
    { percentile: 99, ms: 12.3 },
    { percentile: 100, ms: 41 },
  ],
};

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aisctl-reports-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('report-writer', () => {
  it('names reports <time>-<name>, file-system safe', () => {
    expect(reportBaseName('2025-06-01T12:30:05.123Z', 'ci-smoke')).toBe('2025-06-01T12-30-05Z-ci-smoke');
    expect(reportBaseName('2025-06-01T12:30:05Z', 'a/b c')).toBe('2025-06-01T12-30-05Z-a-b-c');
    expect(reportBaseName('garbage', '')).toBe('unknown-time-run');
  });

  it('writes the JSON (summary, settings, series, snapshots), the Markdown and the HTML, returning their paths', async () => {
    const withFault: ReportInput = { ...input, info: { ...info, faults: [{ label: 'stop-redis', fromMs: 4000, toMs: 9000 }] } };
    const out = await writeRunReports(withFault, join(dir, 'nested', 'reports'));
    expect(out.jsonPath).toBe(join(dir, 'nested', 'reports', '2025-06-01T12-30-05Z-ci-smoke.json'));
    expect(out.markdownPath).toBe(join(dir, 'nested', 'reports', '2025-06-01T12-30-05Z-ci-smoke.md'));
    expect(out.htmlPath).toBe(join(dir, 'nested', 'reports', '2025-06-01T12-30-05Z-ci-smoke.html'));
    expect(out.summary.reportFiles).toEqual([out.jsonPath, out.markdownPath, out.htmlPath]);
    const doc = JSON.parse(await readFile(out.jsonPath, 'utf8')) as Record<string, unknown>;
    expect(doc['format']).toBe('aisctl-run-report');
    expect(doc['version']).toBe(REPORT_FORMAT_VERSION);
    expect(REPORT_FORMAT_VERSION).toBe(2);
    expect(doc['settings']).toEqual(info.settings);
    expect((doc['snapshots'] as unknown[]).length).toBe(31);
    const series = doc['series'] as RunSeries;
    expect(series.points).toHaveLength(31);
    expect(series.faults).toEqual([{ label: 'stop-redis', fromMs: 4000, toMs: 9000 }]);
    expect((doc['summary'] as RunSummary).reportFiles).toEqual([out.jsonPath, out.markdownPath, out.htmlPath]);
    const md = await readFile(out.markdownPath, 'utf8');
    expect(md).toContain('# aisctl load: ci-smoke');
    const html = await readFile(out.htmlPath, 'utf8');
    expect(html).toBe(renderHtmlReport(parseReportDocument(doc)));
    expect(html).toContain('class="fault"');
  });

  it('never overwrites: a second run in the same second gets a suffix', async () => {
    const a = await writeRunReports(input, dir);
    const b = await writeRunReports(input, dir);
    expect(b.jsonPath).toBe(join(dir, '2025-06-01T12-30-05Z-ci-smoke-2.json'));
    expect(b.markdownPath).not.toBe(a.markdownPath);
  });

  it('the Markdown has settings, figures, gate verdicts and a latency distribution', () => {
    const md = renderMarkdownReport(input);
    expect(md).toContain('- Result: **FAIL** (1 of 3 gates failed)');
    expect(md).toContain('| rate | 1500 |');
    expect(md).toContain('| throughput | 1,498/s |');
    expect(md).toContain('| p99 | 12.3 ms |');
    expect(md).toContain('| cache_hit_rate | 97.1% |');
    expect(md).toContain('| `p99<250ms` | 12.3 ms | pass |');
    expect(md).toContain('| `dlq_size==0` | n/a | FAIL |');
    expect(md).toMatch(/p100 +41\.0 ms {2}█{40}/);
    expect(md).toMatch(/p50 +1\.20 ms {2}█+\n/);
    expect(md).toContain('"bad_checksum": 3');
    // the time series skips warm-up and is sampled to at most 20 rows
    const rows = md.split('\n').filter((l) => /^\| \d/.test(l));
    expect(rows.length).toBe(20);
    expect(md).not.toMatch(/\| warmup \|/);
  });

  it('passes with no gates', () => {
    expect(renderMarkdownReport({ ...input, summary: { ...summary, gates: [] } })).toContain('- Result: no gates');
  });
});
