/**
 * The HTML run report: one self-contained page (inline style and SVG, no script, no external
 * font or image) so a CI artifact opens anywhere, offline, and a hostile name in a scenario file
 * can do nothing but appear as text. Rendered from the JSON report alone, which is what lets
 * `aisctl report` re-create it.
 */
import type { GateVerdict } from '../run-events.js';
import type { ReportDocument } from '../report-document.js';
import { formatElapsed, formatMetric, formatMs, formatRate } from '../figure-format.js';
import { barChart, escapeXml as esc, lineChart, type LineSeries, type ShadedWindow } from './svg-chart.js';

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; margin: 24px auto; max-width: 980px; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; } .pass { color: #1a7f37; font-weight: bold; } .fail { color: #cf222e; font-weight: bold; }
table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #ddd; padding: 3px 10px; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { display: block; margin: 12px 0; max-width: 100%; height: auto; font-family: inherit; } .note { color: #666; font-size: 12px; }
pre { background: #f6f8fa; padding: 10px; overflow-x: auto; font-size: 12px; }
`;

const COLORS = { throughput: '#2a7ab0', p50: '#2a9d8f', p95: '#e9c46a', p99: '#d62828', deadlocks: '#7b2cbf', errors: '#cf222e' } as const;

function verdict(gates: readonly GateVerdict[]): string {
  if (gates.length === 0) return 'no gates';
  const failed = gates.filter((g) => !g.passed).length;
  return failed === 0 ? `<span class="pass">PASS</span> (${gates.length} gates)` : `<span class="fail">FAIL</span> (${failed} of ${gates.length} gates failed)`;
}

function rows(entries: readonly (readonly [string, string])[], numeric: boolean): string {
  return entries.map(([k, v]) => `<tr><td>${esc(k)}</td><td${numeric ? ' class="num"' : ''}>${esc(v)}</td></tr>`).join('\n');
}

function seconds(ms: number): number {
  return ms / 1000;
}

/** The axis origin reads as 0, not "0.000 ms". */
function msLabel(v: number): string {
  return v === 0 ? '0' : formatMs(v);
}

function secondsLabel(s: number): string {
  return formatElapsed(s * 1000);
}

export function renderHtmlReport(doc: ReportDocument): string {
  const { summary, series } = doc;
  const shaded: ShadedWindow[] = series.faults.map((f) => ({ fromX: seconds(f.fromMs), toX: seconds(f.toMs), label: f.label }));
  const pts = series.points;
  const line = (label: string, color: string, y: (p: (typeof pts)[number]) => number | null): LineSeries => ({
    label,
    color,
    points: pts.map((p) => ({ x: seconds(p.elapsedMs), y: y(p) })),
  });
  const common = { shaded, xLabel: 'elapsed (warm-up included)', formatX: secondsLabel };
  const latencyNote =
    series.latencyScope === 'tick'
      ? 'Percentiles of the messages completed in each second.'
      : 'Percentiles of the run up to each point (this command or report measured no per-second latency).';
  const charts = [
    lineChart({
      ...common,
      title: 'Throughput per second',
      series: [line('throughput', COLORS.throughput, (p) => p.throughput)],
      formatY: (v) => formatRate(v),
    }),
    lineChart({
      ...common,
      title: 'Latency over time',
      series: [line('p50', COLORS.p50, (p) => p.p50), line('p95', COLORS.p95, (p) => p.p95), line('p99', COLORS.p99, (p) => p.p99)],
      formatY: msLabel,
    }),
    `<p class="note">${esc(latencyNote)}</p>`,
    lineChart({
      ...common,
      title: 'Deadlocks and errors per second',
      series: [line('deadlocks', COLORS.deadlocks, (p) => p.deadlocks), line('errors', COLORS.errors, (p) => p.errors)],
    }),
  ];
  const distribution = doc.latencyDistribution ?? [];
  const gates = summary.gates
    .map(
      (g) =>
        `<tr><td><code>${esc(g.expression)}</code></td><td class="num">${esc(formatMetric(g.metric, g.actual))}</td><td class="${g.passed ? 'pass' : 'fail'}">${g.passed ? 'pass' : 'FAIL'}</td></tr>`,
    )
    .join('\n');
  const title = `aisctl ${summary.command}: ${summary.name}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing on the page may load or run anything, whatever a report file contains.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">Started ${esc(String(summary.startedAt))} · duration ${esc(formatElapsed(summary.durationMs))} · ${verdict(summary.gates)}</p>`,
    summary.gates.length > 0 ? `<h2>Gates</h2>\n<table><tr><th>gate</th><th>actual</th><th>verdict</th></tr>\n${gates}\n</table>` : '',
    '<h2>Over time</h2>',
    pts.length > 0 ? charts.join('\n') : '<p class="note">The run recorded no ticks.</p>',
    series.faults.length > 0 ? '<p class="note">Shaded: faults the scenario injected.</p>' : '',
    distribution.length > 0
      ? [
          '<h2>Latency distribution</h2>',
          barChart({
            title: 'Latency by percentile (warm-up excluded)',
            bars: distribution.map((d) => ({ label: `p${d.percentile}`, value: d.ms })),
            formatValue: msLabel,
          }),
        ].join('\n')
      : '',
    '<h2>Figures</h2>',
    `<table>\n${rows(
      Object.entries(summary.metrics).map(([k, v]) => [k, formatMetric(k, v)] as const),
      true,
    )}\n</table>`,
    '<h2>Settings</h2>',
    `<table>\n${rows(
      Object.entries(doc.settings).map(([k, v]) => [k, String(v)] as const),
      false,
    )}\n</table>`,
    Object.keys(summary.details).length > 0 ? `<h2>Details</h2>\n<pre>${esc(JSON.stringify(summary.details, null, 2))}</pre>` : '',
    `<p class="note">Report format ${doc.version}.</p>`,
    '</body>',
    '</html>',
    '',
  ]
    .filter((s) => s !== '')
    .join('\n');
}
