/**
 * Line charts and bar charts as inline SVG strings, drawn here rather than by a charting library
 * so the HTML report is one file that opens offline, from a CI artifact, with no script at all.
 * Pure functions of their input: the same report always renders byte for byte the same page.
 */

export interface Point {
  readonly x: number;
  /** null leaves a gap: nothing was measured there, which is not the same as zero. */
  readonly y: number | null;
}

export interface LineSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly Point[];
}

export interface ShadedWindow {
  readonly fromX: number;
  readonly toX: number;
  readonly label: string;
}

export interface LineChartOptions {
  readonly title: string;
  readonly series: readonly LineSeries[];
  readonly shaded?: readonly ShadedWindow[];
  readonly xLabel?: string;
  readonly formatX?: (x: number) => string;
  readonly formatY?: (y: number) => string;
  readonly width?: number;
  readonly height?: number;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
}

export interface BarChartOptions {
  readonly title: string;
  readonly bars: readonly Bar[];
  readonly color?: string;
  readonly formatValue?: (v: number) => string;
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { top: 28, right: 16, bottom: 40, left: 64 } as const;
const FAULT_FILL = '#f4a261';

/** For text and attribute values alike: a name from a scenario file is untrusted input. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Coordinates with two decimals: sub-pixel enough, and stable text for diffs and tests. */
function n(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** 0 and 1, 2 or 5 times a power of ten, so axis labels read as round numbers. */
export function niceStep(span: number, targetTicks: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, targetTicks);
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * power;
}

/** Ticks from 0 up to the first round value at or above `max`. */
export function niceTicks(max: number, targetTicks = 5): number[] {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const step = niceStep(top, targetTicks);
  const ticks: number[] = [];
  for (let i = 0; i * step < top + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  const last = ticks[ticks.length - 1] ?? 0;
  if (last < top) ticks.push(Number((last + step).toPrecision(12)));
  return ticks;
}

function defaultFormat(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
}

function frame(title: string, width: number, height: number, body: string[]): string {
  return [
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<text class="chart-title" x="${MARGIN.left}" y="16" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** SVG path data; a null y ends the current segment. */
export function pathData(points: readonly Point[], sx: (x: number) => number, sy: (y: number) => number): string {
  const parts: string[] = [];
  let pen = false;
  for (const p of points) {
    if (p.y === null || !Number.isFinite(p.y) || !Number.isFinite(p.x)) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${n(sx(p.x))},${n(sy(p.y))}`);
    pen = true;
  }
  return parts.join(' ');
}

export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 720;
  const height = o.height ?? 240;
  const fx = o.formatX ?? defaultFormat;
  const fy = o.formatY ?? defaultFormat;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const xs = o.series.flatMap((s) => s.points.map((p) => p.x)).filter(Number.isFinite);
  const ys = o.series.flatMap((s) => s.points.map((p) => p.y)).filter((y): y is number => y !== null && Number.isFinite(y));
  const xMax = Math.max(1, ...xs, ...(o.shaded ?? []).map((w) => w.toX));
  const yTicks = niceTicks(Math.max(0, ...ys));
  const yMax = yTicks[yTicks.length - 1] ?? 1;
  const xTicks = niceTicks(xMax, 8).filter((t) => t <= xMax);
  const sx = (x: number): number => MARGIN.left + (Math.min(Math.max(x, 0), xMax) / xMax) * plotW;
  const sy = (y: number): number => MARGIN.top + plotH - (Math.max(0, y) / yMax) * plotH;
  const body: string[] = [];

  for (const w of o.shaded ?? []) {
    const x0 = sx(w.fromX);
    const x1 = sx(w.toX);
    body.push(
      `<rect class="fault" x="${n(x0)}" y="${MARGIN.top}" width="${n(Math.max(1, x1 - x0))}" height="${plotH}" fill="${FAULT_FILL}" fill-opacity="0.25"><title>${escapeXml(w.label)}</title></rect>`,
      `<text x="${n(x0 + 3)}" y="${MARGIN.top + 11}" font-size="10" fill="#9c4a00">${escapeXml(w.label)}</text>`,
    );
  }
  for (const t of yTicks) {
    const y = n(sy(t));
    body.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#e3e3e3"/>`,
      `<text class="y-tick" x="${MARGIN.left - 6}" y="${y}" font-size="10" text-anchor="end" dominant-baseline="middle">${escapeXml(fy(t))}</text>`,
    );
  }
  for (const t of xTicks) {
    const x = n(sx(t));
    body.push(
      `<line x1="${x}" x2="${x}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#555"/>`,
      `<text class="x-tick" x="${x}" y="${MARGIN.top + plotH + 16}" font-size="10" text-anchor="middle">${escapeXml(fx(t))}</text>`,
    );
  }
  body.push(
    `<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#555"/>`,
    `<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#555"/>`,
  );
  if (o.xLabel) body.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 6}" font-size="11" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  if (ys.length === 0) {
    body.push(`<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH / 2}" font-size="12" text-anchor="middle" fill="#888">no data</text>`);
  }
  o.series.forEach((s, i) => {
    const d = pathData(s.points, sx, sy);
    if (d !== '')
      body.push(`<path class="series" d="${d}" fill="none" stroke="${escapeXml(s.color)}" stroke-width="1.5"><title>${escapeXml(s.label)}</title></path>`);
    const legendX = width - MARGIN.right - (o.series.length - i) * 90;
    body.push(
      `<rect x="${legendX}" y="8" width="10" height="10" fill="${escapeXml(s.color)}"/>`,
      `<text class="legend" x="${legendX + 14}" y="17" font-size="11">${escapeXml(s.label)}</text>`,
    );
  });
  return frame(o.title, width, height, body);
}

export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 720;
  const height = o.height ?? 240;
  const fv = o.formatValue ?? defaultFormat;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const yTicks = niceTicks(Math.max(0, ...o.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))));
  const yMax = yTicks[yTicks.length - 1] ?? 1;
  const sy = (y: number): number => MARGIN.top + plotH - (Math.max(0, y) / yMax) * plotH;
  const slot = plotW / Math.max(1, o.bars.length);
  const body: string[] = [];
  for (const t of yTicks) {
    const y = n(sy(t));
    body.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#e3e3e3"/>`,
      `<text class="y-tick" x="${MARGIN.left - 6}" y="${y}" font-size="10" text-anchor="end" dominant-baseline="middle">${escapeXml(fv(t))}</text>`,
    );
  }
  o.bars.forEach((b, i) => {
    const v = Number.isFinite(b.value) ? Math.max(0, b.value) : 0;
    const x = MARGIN.left + i * slot + slot * 0.15;
    const top = sy(v);
    body.push(
      `<rect class="bar" x="${n(x)}" y="${n(top)}" width="${n(slot * 0.7)}" height="${n(MARGIN.top + plotH - top)}" fill="${escapeXml(o.color ?? '#2a7ab0')}"><title>${escapeXml(`${b.label}: ${fv(v)}`)}</title></rect>`,
      `<text class="x-tick" x="${n(x + slot * 0.35)}" y="${MARGIN.top + plotH + 16}" font-size="10" text-anchor="middle">${escapeXml(b.label)}</text>`,
      `<text x="${n(x + slot * 0.35)}" y="${n(top - 4)}" font-size="10" text-anchor="middle">${escapeXml(fv(v))}</text>`,
    );
  });
  body.push(
    `<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#555"/>`,
    `<line class="axis" x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#555"/>`,
  );
  if (o.bars.length === 0) {
    body.push(`<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH / 2}" font-size="12" text-anchor="middle" fill="#888">no data</text>`);
  }
  return frame(o.title, width, height, body);
}
