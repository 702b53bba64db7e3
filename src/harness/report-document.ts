/**
 * The JSON run report as a type, and the reader `aisctl report` uses to turn a file back into it.
 * Version 2 added `series`; a version 1 report gets its series derived from its snapshots, so
 * reports saved before the HTML page existed still render.
 */
import type { PercentilePoint } from '../metrics/latency-recorder.js';
import type { FaultWindow, MetricsSnapshot, RunSummary } from './run-events.js';
import { seriesFromSnapshots, type RunSeries } from './run-series.js';

export const REPORT_FORMAT = 'aisctl-run-report';
export const REPORT_FORMAT_VERSION = 2;

export interface ReportDocument {
  readonly format: typeof REPORT_FORMAT;
  readonly version: number;
  readonly summary: RunSummary;
  readonly settings: Readonly<Record<string, string | number>>;
  readonly plannedMs: number | null;
  readonly latencyDistribution: readonly PercentilePoint[] | null;
  readonly series: RunSeries;
  readonly snapshots: readonly MetricsSnapshot[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks the fields the HTML page relies on and fills what older versions lack. Throws an Error
 * naming the first problem; the contents beyond the shape are trusted only as text (the page
 * escapes every string it shows).
 */
export function parseReportDocument(json: unknown): ReportDocument {
  if (!isRecord(json) || json.format !== REPORT_FORMAT) throw new Error(`not an aisctl run report (expected "format": "${REPORT_FORMAT}")`);
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new Error('the report has no valid "version"');
  if (version > REPORT_FORMAT_VERSION) throw new Error(`report version ${version} is newer than this aisctl reads (${REPORT_FORMAT_VERSION}); upgrade aisctl`);
  const summary = json.summary;
  if (!isRecord(summary) || typeof summary.command !== 'string' || typeof summary.name !== 'string') throw new Error('the report has no valid "summary"');
  if (!isRecord(summary.metrics) || !Array.isArray(summary.gates)) throw new Error('the report summary lacks "metrics" or "gates"');
  const snapshots = Array.isArray(json.snapshots) ? (json.snapshots as MetricsSnapshot[]) : [];
  const settings = isRecord(json.settings) ? (json.settings as Record<string, string | number>) : {};
  const series = isRecord(json.series) && Array.isArray(json.series.points) ? (json.series as unknown as RunSeries) : seriesFromSnapshots(snapshots);
  return {
    format: REPORT_FORMAT,
    version,
    summary: summary as unknown as RunSummary,
    settings,
    plannedMs: typeof json.plannedMs === 'number' ? json.plannedMs : null,
    latencyDistribution: Array.isArray(json.latencyDistribution) ? (json.latencyDistribution as PercentilePoint[]) : null,
    series: { ...series, faults: Array.isArray(series.faults) ? series.faults : ([] as FaultWindow[]) },
    snapshots,
  };
}
