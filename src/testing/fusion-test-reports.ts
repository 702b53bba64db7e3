/**
 * Test-only builders of crafted multi-source tracks (imported by *.test.ts only).
 */
import type { PositionReport } from '../normalize/message.js';
import { deadReckon, METRES_PER_SECOND_PER_KNOT } from '../fusion/geo-distance.js';

export const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

export function report(over: Partial<PositionReport> = {}): PositionReport {
  return {
    kind: 'position',
    mmsi: 244_660_000,
    ts: T0,
    lat: 52.0,
    lon: 4.0,
    sog: 10,
    cog: 90,
    heading: 90,
    navStatus: 0,
    source: 'a',
    msgType: 1,
    origin: { file: 'test', line: 0 },
    ...over,
  };
}

/** Position of a vessel steaming at `sogKn` on `cogDeg` from (52, 4) at T0, `ms` later. */
export function alongTrack(ms: number, sogKn = 10, cogDeg = 90): { lat: number; lon: number } {
  return deadReckon(52.0, 4.0, cogDeg, sogKn * METRES_PER_SECOND_PER_KNOT * (ms / 1000));
}

/** A report of the vessel on its true track at T0 + ms. */
export function onTrack(ms: number, over: Partial<PositionReport> = {}): PositionReport {
  return report({ ts: T0 + ms, ...alongTrack(ms), ...over });
}
