import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildLoadShape, describeShape, LoadShapeError, parseRate, shapeFromFlags, withWarmup, type LoadShapeSpec } from './load-shape.js';

describe('parseRate', () => {
  it.each([
    ['10000', 10_000],
    ['10k', 10_000],
    ['2.5k', 2_500],
    ['10000/s', 10_000],
    [1500, 1500],
  ] as const)('%s', (text, rate) => expect(parseRate(text)).toBe(rate));
  it.each(['fast', '-1', '10m', ''])('rejects %j', (t) => expect(() => parseRate(t)).toThrow(LoadShapeError));
  it('rejects negative numbers', () => expect(() => parseRate(-3)).toThrow(LoadShapeError));
});

function allTimes(spec: LoadShapeSpec): number[] {
  const shape = buildLoadShape(spec);
  const out: number[] = [];
  for (let n = 0; ; n++) {
    const t = shape.timeOfSend(n);
    if (t === null) break;
    out.push(t);
  }
  return out;
}

describe('buildLoadShape', () => {
  it('constant: evenly spaced sends, exactly rate x duration of them', () => {
    const shape = buildLoadShape({ type: 'constant', rate: 1000, durationMs: 1000 });
    expect(shape.totalSends).toBe(1000);
    expect(shape.timeOfSend(0)).toBe(0);
    expect(shape.timeOfSend(1)).toBeCloseTo(1, 9);
    expect(shape.timeOfSend(999)).toBeCloseTo(999, 6);
    expect(shape.timeOfSend(1000)).toBeNull();
    expect(shape.rateAt(500)).toBe(1000);
    expect(shape.rateAt(1000)).toBe(0);
    expect(shape.countAt(250)).toBeCloseTo(250, 9);
  });

  it('ramp: the count is the integral of a linear rate, sends get denser', () => {
    const shape = buildLoadShape({ type: 'ramp', from: 0, to: 2000, durationMs: 1000 });
    expect(shape.totalSends).toBe(1000);
    expect(shape.rateAt(500)).toBeCloseTo(1000, 9);
    expect(shape.countAt(500)).toBeCloseTo(250, 6);
    const times = allTimes(shape.spec);
    expect(times).toHaveLength(1000);
    expect(times[0]).toBe(0);
    // t(n) = sqrt(n / 1000) s for this ramp
    expect(times[250]).toBeCloseTo(500, 6);
    const gapsEarly = (times[11] ?? 0) - (times[10] ?? 0);
    const gapsLate = (times[901] ?? 0) - (times[900] ?? 0);
    expect(gapsLate).toBeLessThan(gapsEarly);
  });

  it('steps: each step at its own rate', () => {
    const shape = buildLoadShape({
      type: 'steps',
      steps: [
        { rate: 100, durationMs: 1000 },
        { rate: 0, durationMs: 500 },
        { rate: 1000, durationMs: 1000 },
      ],
    });
    expect(shape.durationMs).toBe(2500);
    expect(shape.totalSends).toBe(1100);
    const times = allTimes(shape.spec);
    expect(times[99]).toBeCloseTo(990, 6);
    // nothing is sent in the idle step
    expect(times[100]).toBeCloseTo(1500, 6);
    expect(shape.peakRate).toBe(1000);
  });

  it('bursts: calm, then a burst, each period', () => {
    const spec: LoadShapeSpec = { type: 'bursts', rate: 100, burstRate: 1000, everyMs: 1000, burstMs: 200, durationMs: 3000 };
    const shape = buildLoadShape(spec);
    expect(shape.segments).toHaveLength(6);
    expect(shape.rateAt(100)).toBe(100);
    expect(shape.rateAt(900)).toBe(1000);
    expect(shape.totalSends).toBe(3 * (80 + 200));
  });

  it('bursts: a burst as long as its period is refused', () => {
    expect(() => buildLoadShape({ type: 'bursts', rate: 1, burstRate: 2, everyMs: 100, burstMs: 100, durationMs: 1000 })).toThrow(/shorter than the period/);
  });

  it('phases: concatenated in order', () => {
    const shape = buildLoadShape({
      type: 'phases',
      phases: [
        { type: 'ramp', from: 0, to: 1000, durationMs: 1000 },
        { type: 'constant', rate: 1000, durationMs: 1000 },
      ],
    });
    expect(shape.durationMs).toBe(2000);
    expect(shape.totalSends).toBe(1500);
    expect(shape.rateAt(1500)).toBe(1000);
  });

  it('rejects negative rates and zero durations', () => {
    expect(() => buildLoadShape({ type: 'constant', rate: -1, durationMs: 10 })).toThrow(LoadShapeError);
    expect(() => buildLoadShape({ type: 'constant', rate: 1, durationMs: 0 })).toThrow(LoadShapeError);
    expect(() => buildLoadShape({ type: 'steps', steps: [] })).toThrow(/at least one step/);
  });

  it('a zero-rate shape has no sends', () => {
    expect(buildLoadShape({ type: 'constant', rate: 0, durationMs: 1000 }).totalSends).toBe(0);
  });

  it('property: intended times are non-decreasing, inside the shape, and match countAt', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ from: fc.integer({ min: 0, max: 5000 }), to: fc.integer({ min: 0, max: 5000 }), d: fc.integer({ min: 1, max: 200 }) }), {
          minLength: 1,
          maxLength: 5,
        }),
        (parts) => {
          const spec: LoadShapeSpec = { type: 'phases', phases: parts.map((p) => ({ type: 'ramp', from: p.from, to: p.to, durationMs: p.d })) };
          const shape = buildLoadShape(spec);
          const times = allTimes(spec);
          expect(times.length).toBe(shape.totalSends);
          expect(Math.abs(times.length - shape.countAt(shape.durationMs))).toBeLessThan(1 + 1e-6);
          let prev = -1;
          for (const [n, t] of times.entries()) {
            expect(t).toBeGreaterThanOrEqual(prev - 1e-9);
            expect(t).toBeLessThanOrEqual(shape.durationMs);
            // n sends intended strictly before t(n), within rounding
            expect(Math.abs(shape.countAt(t) - n)).toBeLessThan(1e-3);
            prev = t;
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('flags and warm-up', () => {
  it('--rate 10000 --duration 60s is a constant shape', () => {
    expect(shapeFromFlags({ rate: '10000', duration: '60s' })).toEqual({ type: 'constant', rate: 10_000, durationMs: 60_000 });
  });
  it('--ramp-from with --ramp-for becomes ramp then constant', () => {
    const spec = shapeFromFlags({ rate: '10k', duration: '60s', rampFrom: '1000', rampFor: '10s' });
    expect(spec.type).toBe('phases');
    expect(buildLoadShape(spec).durationMs).toBe(60_000);
    expect(describeShape(spec)).toBe('ramp 1000->10000/s over 10s then constant 10000/s for 50s');
  });
  it('bad flags name the flag', () => {
    expect(() => shapeFromFlags({ rate: 'lots', duration: '60s' })).toThrow(/--rate/);
    expect(() => shapeFromFlags({ rate: '10', duration: '60' })).toThrow('--duration: 60 is ambiguous: write 60s');
  });
  it('warm-up runs at the opening rate, or the mean when that is 0', () => {
    const w = buildLoadShape(withWarmup({ type: 'constant', rate: 500, durationMs: 1000 }, 2000));
    expect(w.durationMs).toBe(3000);
    expect(w.rateAt(1000)).toBe(500);
    const r = buildLoadShape(withWarmup({ type: 'ramp', from: 0, to: 1000, durationMs: 1000 }, 1000));
    expect(r.rateAt(500)).toBeCloseTo(500, 9);
    expect(withWarmup({ type: 'constant', rate: 5, durationMs: 10 }, 0)).toEqual({ type: 'constant', rate: 5, durationMs: 10 });
  });
});
