/**
 * Figures formatted for people, shared by the reporters and the Markdown report so a number
 * reads the same in the terminal, in CI logs and in the saved report. Fixed `en-US` grouping:
 * reports are compared across machines, and locale-dependent separators would make diffs noisy.
 */
import { metricUnit } from './gates.js';

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return Number.isFinite(n) ? INT.format(n) : String(n);
}

/** 0.042 ms, 4.21 ms, 12.3 ms, 123 ms, 1.23 s, 61.2 s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function formatRate(perSecond: number): string {
  return `${formatCount(perSecond)}/s`;
}

/** 0..1 as a percentage; null (not yet known) as an en dash. */
export function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '–';
  return `${(r * 100).toFixed(r >= 0.9995 || r === 0 ? 0 : 1)}%`;
}

/** 5.0s below a minute, 1:05 above. */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A RunSummary metric in its unit (see GATE_METRICS); unknown names as plain numbers. */
export function formatMetric(name: string, value: number | null): string {
  if (value === null) return 'n/a';
  switch (metricUnit(name)) {
    case 'ms':
      return formatMs(value);
    case 'ratio':
      return formatRatio(value);
    case 'rate':
      return formatRate(value);
    case 'count':
      return formatCount(value);
    default:
      return Number.isInteger(value) ? formatCount(value) : String(+value.toFixed(4));
  }
}
