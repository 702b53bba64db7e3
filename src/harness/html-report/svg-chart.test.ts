import { describe, expect, it } from 'vitest';
import { barChart, escapeXml, lineChart, niceStep, niceTicks, pathData } from './svg-chart.js';

const identity = (v: number): number => v;

describe('niceTicks', () => {
  it('runs from 0 to a round value at or above the maximum', () => {
    expect(niceTicks(1999)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(niceTicks(12.3)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(Number.NaN)).toEqual(niceTicks(1));
  });
  it('steps by 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(30, 8)).toBe(5);
    expect(niceStep(0, 5)).toBe(1);
  });
});

describe('pathData', () => {
  it('moves, draws lines, and breaks at null so a gap is not drawn as a slope', () => {
    const d = pathData(
      [
        { x: 0, y: 1 },
        { x: 1, y: 2 },
        { x: 2, y: null },
        { x: 3, y: 4 },
        { x: 4, y: 5.555 },
      ],
      identity,
      identity,
    );
    expect(d).toBe('M0,1 L1,2 M3,4 L4,5.56');
    expect(pathData([], identity, identity)).toBe('');
  });
});

describe('lineChart', () => {
  const svg = lineChart({
    title: 'Throughput per second',
    series: [
      {
        label: 'throughput',
        color: '#2a7ab0',
        points: [
          { x: 0, y: 0 },
          { x: 10, y: 2000 },
        ],
      },
    ],
    shaded: [{ fromX: 2, toX: 5, label: 'stop-redis' }],
    xLabel: 'elapsed',
    width: 400,
    height: 200,
  });

  it('draws the series as a path scaled into the plot area', () => {
    // plot area: x 64..384, y 28..160; y axis tops out at 2000
    expect(svg).toContain('d="M64,160 L384,28"');
    expect(svg).toMatch(/^<svg class="chart" viewBox="0 0 400 200"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('has axes, labelled ticks and a legend', () => {
    expect(svg.match(/class="axis"/g)).toHaveLength(2);
    const yTicks = [...svg.matchAll(/class="y-tick"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(yTicks).toEqual(['0', '500', '1000', '1500', '2000']);
    const xTicks = [...svg.matchAll(/class="x-tick"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(xTicks[0]).toBe('0');
    expect(xTicks[xTicks.length - 1]).toBe('10');
    expect(svg).toContain('>throughput</text>');
    expect(svg).toContain('>elapsed</text>');
  });

  it('shades fault windows', () => {
    // 2..5 of 0..10 over a 320 px wide plot
    expect(svg).toMatch(/<rect class="fault" x="128" y="28" width="96" height="132"/);
    expect(svg).toContain('stop-redis');
  });

  it('references nothing outside itself', () => {
    expect(svg).not.toMatch(/https?:|href|src=|url\(/i);
  });

  it('says "no data" rather than drawing an empty frame silently', () => {
    const empty = lineChart({ title: 't', series: [{ label: 'a', color: '#000', points: [{ x: 1, y: null }] }] });
    expect(empty).toContain('no data');
    expect(empty).not.toContain('<path');
  });

  it('escapes titles and labels', () => {
    const hostile = '</svg><script>alert(1)</script>';
    const out = lineChart({
      title: hostile,
      series: [{ label: hostile, color: '"red', points: [{ x: 0, y: 1 }] }],
      shaded: [{ fromX: 0, toX: 1, label: hostile }],
    });
    expect(out).not.toContain('<script');
    expect(out).not.toContain('</svg><');
    expect(out).toContain('&#60;script&#62;');
    expect(out).toContain('stroke="&#34;red"');
  });
});

describe('barChart', () => {
  it('draws one bar per value, scaled to the top tick, with labels', () => {
    const svg = barChart({
      title: 'Latency by percentile',
      bars: [
        { label: 'p50', value: 5 },
        { label: 'p99', value: 10 },
      ],
      width: 400,
      height: 200,
    });
    const bars = [...svg.matchAll(/<rect class="bar" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
    expect(bars).toEqual([
      [88, 94, 112, 66],
      [248, 28, 112, 132],
    ]);
    expect(svg).toContain('>p50</text>');
    expect(svg).toContain('>p99</text>');
    expect(svg.match(/class="axis"/g)).toHaveLength(2);
  });
  it('handles no bars', () => {
    expect(barChart({ title: 'x', bars: [] })).toContain('no data');
  });
});

describe('escapeXml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});
