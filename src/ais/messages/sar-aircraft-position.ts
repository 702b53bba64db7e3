import { sbits, ubits } from '../sixbit.js';
import type { SarAircraftPosition } from '../types.js';
import { courseTenths, lat10k, lon10k } from './field-values.js';

export const SAR_AIRCRAFT_MIN_BITS = 168;

/** Type 9 (M.1371-5 table 52): speed in whole knots, altitude in metres. */
export function decodeSarAircraftPosition(p: string, repeat: number, mmsi: number): SarAircraftPosition {
  const alt = ubits(p, 38, 12);
  const sog = ubits(p, 50, 10);
  return {
    type: 9,
    repeat,
    mmsi,
    alt: alt === 4095 ? null : alt,
    sog: sog === 1023 ? null : sog,
    accuracy: ubits(p, 60, 1) === 1,
    lon: lon10k(sbits(p, 61, 28)),
    lat: lat10k(sbits(p, 89, 27)),
    cog: courseTenths(ubits(p, 116, 12)),
    second: ubits(p, 128, 6),
    regional: ubits(p, 134, 8),
    dte: ubits(p, 142, 1),
    assigned: ubits(p, 146, 1) === 1,
    raim: ubits(p, 147, 1) === 1,
    radio: ubits(p, 148, 20),
  };
}
