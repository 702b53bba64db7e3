import { describe, expect, it } from 'vitest';
import { eventLeadMs, fleetRate } from './event-clock.js';
import { buildLoadShape } from './load-shape.js';
import { createTrafficGenerator } from './traffic-generator.js';

const T0 = Date.parse('2024-06-01T08:00:00Z');

describe('event clock of load through a feed', () => {
  it('is the wall clock while the fleet keeps up with the rate', () => {
    expect(eventLeadMs(buildLoadShape({ type: 'constant', rate: 100, durationMs: 60_000 }), 1_000)).toBe(0);
    expect(eventLeadMs(buildLoadShape({ type: 'constant', rate: 100, durationMs: 60_000 }), 0)).toBe(0);
  });

  it('starts as far back as the run gets ahead, with a margin', () => {
    // 10x the fleet for 60 s: event time covers 600 s and must start 540 s back (+10 %).
    expect(eventLeadMs(buildLoadShape({ type: 'constant', rate: 10_000, durationMs: 60_000 }), 1_000)).toBe(594_000);
    // A burst early in the run: the lead is set by the peak of the gap, not by its end.
    const steps = buildLoadShape({
      type: 'steps',
      steps: [
        { rate: 5_000, durationMs: 10_000 },
        { rate: 100, durationMs: 50_000 },
      ],
    });
    // (sampled: within a sample's worth of sends of the exact 44 s)
    expect(eventLeadMs(steps, 1_000)).toBeGreaterThan(43_500);
    expect(eventLeadMs(steps, 1_000)).toBeLessThanOrEqual(44_000);
  });

  it('measures a generated fleet at about a report per vessel every 10 s or more', () => {
    const g = createTrafficGenerator({ vessels: 10_000, sources: ['rx1'], seed: 1, startTimeMs: T0, dupRate: 0, lateRate: 0, badRate: 0 });
    const rate = fleetRate(g.fleet);
    expect(rate).toBeGreaterThan(300);
    expect(rate).toBeLessThan(2_000);
  });

  it('keeps every generated report behind the wall clock over a fast run', () => {
    const vessels = 500;
    const g0 = createTrafficGenerator({ vessels, sources: ['rx1'], seed: 2, startTimeMs: T0, dupRate: 0, lateRate: 0, badRate: 0 });
    const shape = buildLoadShape({ type: 'constant', rate: 2_000, durationMs: 30_000 });
    const lead = eventLeadMs(shape, fleetRate(g0.fleet));
    expect(lead).toBeGreaterThan(0);
    const g = createTrafficGenerator({
      vessels,
      sources: ['rx1'],
      seed: 2,
      startTimeMs: T0 - lead,
      dupRate: 0,
      lateRate: 0,
      badRate: 0,
      honourIntervals: true,
      tagTimeMs: true,
    });
    let ahead = 0;
    for (let n = 0; n < shape.totalSends; n++) {
      const wall = T0 + (shape.timeOfSend(n) ?? 0);
      if (g.next(wall - lead).ts > wall) ahead++;
    }
    expect(ahead).toBe(0);
  });
});
