/**
 * Plain-text tables and the small value formats the read-back commands share. Output is plain
 * text on a TTY and in a pipe alike (no colours), so `aisctl vessel X | grep` keeps working.
 */

export type Align = 'left' | 'right';

export interface Column {
  readonly header: string;
  readonly align?: Align;
}

/** Lines of a table with a header row; columns are as wide as their widest cell. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    indent +
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        const w = widths[i] ?? 0;
        return c.align === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}

/** `12.3`, or `-` for not available. */
export function formatNumber(v: number | null | undefined, decimals: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(decimals);
}

/** ISO-8601 UTC with milliseconds, or `-`. */
export function formatIso(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '-' : new Date(ms).toISOString();
}

/** `45s`, `3m 12s`, `2h 05m`, `3d 04h`: how long ago, for people. Negative ages (clock skew) read `in the future`. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 0) return `${formatAge(-ms)} in the future`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${String(h % 24).padStart(2, '0')}h`;
}

/** `1.5 km` / `850 m`: distances as people read them. */
export function formatDistance(meters: number): string {
  if (!Number.isFinite(meters)) return '-';
  return meters >= 1000 ? `${(meters / 1000).toFixed(2)} km` : `${Math.round(meters)} m`;
}

/** Writes lines to stdout in one call. */
export function printLines(lines: readonly string[]): void {
  process.stdout.write(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
}

/** Pretty JSON on stdout, one document. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
