import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot, RunInfo, RunSummary } from '../run-events.js';
import { reportDocument } from '../report-writer.js';
import { parseReportDocument } from '../report-document.js';
import { renderHtmlReport } from './html-page.js';

const HOSTILE = '</script><script>alert(1)</script>';

function snap(elapsedMs: number, phase: MetricsSnapshot['phase'], p99: number): MetricsSnapshot {
  const latency = { count: 100, p50: p99 / 4, p95: p99 / 2, p99, p999: p99, max: p99, mean: p99 / 4 };
  return {
    elapsedMs,
    phase,
    progress: null,
    throughput: 1999,
    processed: elapsedMs * 2,
    latency,
    intervalLatency: latency,
    deadlocks: elapsedMs >= 3000 ? 1 : 0,
    cacheHitRate: 1,
    dlqSize: 0,
    late: 0,
    dropped: 0,
    errors: 0,
    queued: 0,
    breakers: {},
    sourceQuality: {},
    extra: {},
  };
}

const info: RunInfo = {
  command: 'load',
  name: HOSTILE,
  settings: { rate: 2000, vessels: HOSTILE },
  plannedMs: 5000,
  faults: [{ label: HOSTILE, fromMs: 2000, toMs: 3000 }],
};

const summary: RunSummary = {
  command: 'load',
  name: HOSTILE,
  startedAt: '2025-06-01T12:30:05.123Z',
  durationMs: 5000,
  metrics: { throughput: 1999, p99: 12.3, deadlocks: 1 },
  gates: [
    { expression: 'p99<20ms', metric: 'p99', actual: 12.3, passed: true },
    { expression: `deadlocks==0${HOSTILE}`, metric: 'deadlocks', actual: 1, passed: false },
  ],
  details: { note: HOSTILE },
  reportFiles: [],
};

const doc = reportDocument({
  info,
  summary,
  snapshots: [snap(1000, 'warmup', 3), snap(2000, 'measure', 8), snap(3000, 'measure', 40), snap(4000, 'done', 9)],
  distribution: [
    { percentile: 50, ms: 2 },
    { percentile: 99, ms: 12.3 },
    { percentile: 100, ms: 41 },
  ],
});
const html = renderHtmlReport(doc);

describe('HTML report page', () => {
  it('is one self-contained document: nothing external, no script at all', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
  });

  it('renders a hostile scenario, vessel or gate name as text', () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain('alert(1)</script>');
    expect(html).toContain('&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('has the charts, the shaded fault, the distribution, the gate verdicts and the settings', () => {
    expect(html).toContain('Throughput per second');
    expect(html).toContain('Latency over time');
    expect(html).toContain('Deadlocks and errors per second');
    expect(html).toContain('Latency by percentile');
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('class="fault"');
    expect(html).toContain('<span class="fail">FAIL</span> (1 of 2 gates failed)');
    expect(html).toMatch(/<code>p99&#60;20ms<\/code><\/td><td class="num">12.3 ms<\/td><td class="pass">pass/);
    expect(html).toContain('<td>rate</td><td>2000</td>');
    for (const p of ['p50', 'p95', 'p99']) expect(html).toContain(`>${p}</text>`);
  });

  it('renders the same page from the JSON file as from the run', () => {
    const fromFile = renderHtmlReport(parseReportDocument(JSON.parse(JSON.stringify(doc))));
    expect(fromFile).toBe(html);
  });

  it('renders a run without ticks or distribution', () => {
    const bare = renderHtmlReport(reportDocument({ info: { ...info, faults: [] }, summary: { ...summary, gates: [] }, snapshots: [] }));
    expect(bare).toContain('The run recorded no ticks.');
    expect(bare).toContain('no gates');
    expect(bare).not.toContain('<svg');
  });
});

describe('parseReportDocument', () => {
  it('reads a version 1 report, deriving the series from its snapshots', () => {
    const { series: _series, ...v1 } = { ...JSON.parse(JSON.stringify(doc)), version: 1 } as Record<string, unknown>;
    const parsed = parseReportDocument(v1);
    expect(parsed.series.points).toHaveLength(4);
    expect(parsed.series.faults).toEqual([]);
  });

  it('refuses what is not a run report, and reports newer than it reads', () => {
    expect(() => parseReportDocument({ hello: 1 })).toThrow(/not an aisctl run report/);
    expect(() => parseReportDocument([])).toThrow(/not an aisctl run report/);
    expect(() => parseReportDocument({ format: 'aisctl-run-report', version: 99, summary: {} })).toThrow(/newer/);
    expect(() => parseReportDocument({ format: 'aisctl-run-report', version: 2, summary: { command: 'load' } })).toThrow(/summary/);
  });
});
