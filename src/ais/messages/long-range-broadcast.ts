import { sbits, ubits } from '../sixbit.js';
import type { LongRangeBroadcast } from '../types.js';
import { latTenthMinute, lonTenthMinute } from './field-values.js';

export const LONG_RANGE_MIN_BITS = 96;

/** Type 27 (M.1371-5 table 73): position in 1/10 minute, speed in knots, course in degrees. */
export function decodeLongRangeBroadcast(p: string, repeat: number, mmsi: number): LongRangeBroadcast {
  const sog = ubits(p, 79, 6);
  const cog = ubits(p, 85, 9);
  return {
    type: 27,
    repeat,
    mmsi,
    accuracy: ubits(p, 38, 1) === 1,
    raim: ubits(p, 39, 1) === 1,
    navStatus: ubits(p, 40, 4),
    lon: lonTenthMinute(sbits(p, 44, 18)),
    lat: latTenthMinute(sbits(p, 62, 17)),
    sog: sog === 63 ? null : sog,
    cog: cog === 511 ? null : cog,
    gnss: ubits(p, 94, 1) === 1,
  };
}
