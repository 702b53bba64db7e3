import { sbits, ubits } from '../sixbit.js';
import type { BaseStationReport } from '../types.js';
import { lat10k, lon10k } from './field-values.js';

export const BASE_STATION_MIN_BITS = 168;

function orNull(v: number, na: number): number | null {
  return v === na ? null : v;
}

/** Types 4 and 11 (M.1371-5 table 46): same layout, report vs. response to a type 10 inquiry. */
export function decodeBaseStationReport(p: string, type: 4 | 11, repeat: number, mmsi: number): BaseStationReport {
  return {
    type,
    repeat,
    mmsi,
    year: orNull(ubits(p, 38, 14), 0),
    month: orNull(ubits(p, 52, 4), 0),
    day: orNull(ubits(p, 56, 5), 0),
    hour: orNull(ubits(p, 61, 5), 24),
    minute: orNull(ubits(p, 66, 6), 60),
    second: orNull(ubits(p, 72, 6), 60),
    accuracy: ubits(p, 78, 1) === 1,
    lon: lon10k(sbits(p, 79, 28)),
    lat: lat10k(sbits(p, 107, 27)),
    epfd: ubits(p, 134, 4),
    raim: ubits(p, 148, 1) === 1,
    radio: ubits(p, 149, 19),
  };
}
