/**
 * Every run leaves three files: `<time>-<name>.json` (the RunSummary, the settings, the
 * per-second series and the snapshots, for tools and trend dashboards), `<time>-<name>.md` (for
 * people and PR comments: settings, figures, gate verdicts and the latency distribution) and
 * `<time>-<name>.html` (the same with charts, rendered from the JSON alone so `aisctl report`
 * can re-create it).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { GateVerdict, MetricsSnapshot, RunInfo, RunSummary } from './run-events.js';
import type { PercentilePoint } from '../metrics/latency-recorder.js';
import { formatCount, formatElapsed, formatMetric, formatMs, formatRate, formatRatio } from './figure-format.js';
import { REPORT_FORMAT, REPORT_FORMAT_VERSION, type ReportDocument } from './report-document.js';
import { seriesFromSnapshots } from './run-series.js';
import { renderHtmlReport } from './html-report/html-page.js';

export { REPORT_FORMAT_VERSION };

export interface ReportInput {
  readonly info: RunInfo;
  readonly summary: RunSummary;
  /** One per tick, in order. */
  readonly snapshots: readonly MetricsSnapshot[];
  /** From LatencyRecorder.distribution(); omitted when the command records no latency. */
  readonly distribution?: readonly PercentilePoint[];
}

export interface WrittenReports {
  readonly jsonPath: string;
  readonly markdownPath: string;
  readonly htmlPath: string;
  /** The summary with `reportFiles` filled in. */
  readonly summary: RunSummary;
}

/** `2025-06-01T12-30-05Z-ci-smoke`: sorts by time, safe on every file system. */
export function reportBaseName(startedAt: string, name: string): string {
  const d = new Date(startedAt);
  const time = Number.isNaN(d.getTime())
    ? 'unknown-time'
    : d
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace(/:/g, '-');
  const safeName = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
  return `${time}-${safeName}`;
}

/** The JSON document: stable field order, a format version for readers of old reports. */
export function reportDocument(input: ReportInput, summary: RunSummary = input.summary): ReportDocument {
  return {
    format: REPORT_FORMAT,
    version: REPORT_FORMAT_VERSION,
    summary,
    settings: input.info.settings,
    plannedMs: input.info.plannedMs,
    latencyDistribution: input.distribution ?? null,
    series: seriesFromSnapshots(input.snapshots, input.info.faults ?? []),
    snapshots: input.snapshots,
  };
}

function verdictLine(summary: RunSummary): string {
  const failed = summary.gates.filter((g) => !g.passed).length;
  if (summary.gates.length === 0) return 'no gates';
  return failed === 0 ? `**PASS** (${summary.gates.length} gates)` : `**FAIL** (${failed} of ${summary.gates.length} gates failed)`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function gateRow(g: GateVerdict): string {
  return `| \`${cell(g.expression)}\` | ${formatMetric(g.metric, g.actual)} | ${g.passed ? 'pass' : 'FAIL'} |`;
}

/** Percentile bars scaled to the largest value, so the tail's shape is visible at a glance. */
function distributionLines(points: readonly PercentilePoint[]): string[] {
  const max = points.reduce((m, p) => Math.max(m, p.ms), 0);
  const width = 40;
  return points.map((p) => {
    const bar = max > 0 ? '█'.repeat(Math.max(p.ms > 0 ? 1 : 0, Math.round((p.ms / max) * width))) : '';
    return `${`p${p.percentile}`.padEnd(8)}${formatMs(p.ms).padStart(10)}  ${bar}`;
  });
}

/** At most `n` evenly spaced snapshots, always keeping the last. */
function sample<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  const out: T[] = [];
  for (let i = 0; i < n - 1; i++) {
    const item = items[Math.floor((i * (items.length - 1)) / (n - 1))];
    if (item !== undefined) out.push(item);
  }
  const last = items[items.length - 1];
  if (last !== undefined) out.push(last);
  return out;
}

export function renderMarkdownReport(input: ReportInput, summary: RunSummary = input.summary): string {
  const lines: string[] = [];
  lines.push(`# aisctl ${summary.command}: ${summary.name}`, '');
  lines.push(`- Started: ${summary.startedAt}`);
  lines.push(`- Duration: ${formatElapsed(summary.durationMs)}`);
  lines.push(`- Result: ${verdictLine(summary)}`, '');

  lines.push('## Settings', '', '| setting | value |', '|---|---|');
  for (const [k, v] of Object.entries(input.info.settings)) lines.push(`| ${cell(k)} | ${cell(String(v))} |`);
  lines.push('');

  lines.push('## Figures', '', '| metric | value |', '|---|---:|');
  for (const [k, v] of Object.entries(summary.metrics)) lines.push(`| ${cell(k)} | ${formatMetric(k, v)} |`);
  lines.push('');

  if (summary.gates.length > 0) {
    lines.push('## Gates', '', '| gate | actual | verdict |', '|---|---:|---|');
    for (const g of summary.gates) lines.push(gateRow(g));
    lines.push('');
  }

  if (input.distribution && input.distribution.length > 0) {
    lines.push('## Latency distribution', '', 'From the intended send time to the durable acknowledgement (warm-up excluded).', '', '```');
    lines.push(...distributionLines(input.distribution));
    lines.push('```', '');
  }

  const measured = input.snapshots.filter((s) => s.phase !== 'warmup');
  if (measured.length > 0) {
    lines.push(
      '## Over time',
      '',
      '| elapsed | phase | throughput | p99 | deadlocks | cache hit | DLQ | late | dropped | errors |',
      '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const s of sample(measured, 20)) {
      lines.push(
        `| ${formatElapsed(s.elapsedMs)} | ${s.phase} | ${formatRate(s.throughput)} | ${formatMs(s.latency.p99)} | ${formatCount(s.deadlocks)} | ${formatRatio(s.cacheHitRate)} | ${formatCount(s.dlqSize)} | ${formatCount(s.late)} | ${formatCount(s.dropped)} | ${formatCount(s.errors)} |`,
      );
    }
    lines.push('');
  }

  if (Object.keys(summary.details).length > 0) {
    lines.push('## Details', '', '```json', JSON.stringify(summary.details, null, 2), '```', '');
  }
  return lines.join('\n');
}

/**
 * Writes the three reports into `dir` (created if needed) and returns their paths. Never overwrites:
 * two runs of the same name in the same second get `-2`, `-3`, ... suffixes.
 */
export async function writeRunReports(input: ReportInput, dir = 'reports'): Promise<WrittenReports> {
  const folder = resolve(dir);
  await mkdir(folder, { recursive: true });
  const base = reportBaseName(input.summary.startedAt, input.summary.name);
  for (let attempt = 1; attempt < 1000; attempt++) {
    const stem = attempt === 1 ? base : `${base}-${attempt}`;
    const jsonPath = join(folder, `${stem}.json`);
    const markdownPath = join(folder, `${stem}.md`);
    const htmlPath = join(folder, `${stem}.html`);
    const summary: RunSummary = { ...input.summary, reportFiles: [jsonPath, markdownPath, htmlPath] };
    const doc = reportDocument(input, summary);
    try {
      await writeFile(jsonPath, `${JSON.stringify(doc, null, 2)}\n`, { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    await writeFile(markdownPath, renderMarkdownReport(input, summary), { flag: 'w' });
    await writeFile(htmlPath, renderHtmlReport(doc), { flag: 'w' });
    return { jsonPath, markdownPath, htmlPath, summary };
  }
  throw new Error(`could not find a free report name for ${base} in ${folder}`);
}
