import { sbits, ubits } from '../sixbit.js';
import type { PositionReportClassA } from '../types.js';
import { courseTenths, heading, lat10k, lon10k, rateOfTurn, speedTenths } from './field-values.js';

/** Shortest accepted length: some transmitters declare 163 bits (5 fill bits on a 168-bit slot). */
export const CLASS_A_MIN_BITS = 163;

/**
 * Types 1, 2, 3 (ITU-R M.1371-5 table 45). The hot path of every feed: one object literal, no
 * intermediate allocation. Below 168 bits the radio field is read from the bits present, as gpsd
 * does, so a declared 163-bit report keeps its position.
 */
export function decodePositionReportClassA(p: string, bitlen: number, type: 1 | 2 | 3, repeat: number, mmsi: number): PositionReportClassA {
  const rotRaw = sbits(p, 42, 8);
  return {
    type,
    repeat,
    mmsi,
    navStatus: ubits(p, 38, 4),
    rot: rateOfTurn(rotRaw),
    rotRaw,
    sog: speedTenths(ubits(p, 50, 10)),
    accuracy: ubits(p, 60, 1) === 1,
    lon: lon10k(sbits(p, 61, 28)),
    lat: lat10k(sbits(p, 89, 27)),
    cog: courseTenths(ubits(p, 116, 12)),
    heading: heading(ubits(p, 128, 9)),
    second: ubits(p, 137, 6),
    maneuver: ubits(p, 143, 2),
    raim: ubits(p, 148, 1) === 1,
    radio: bitlen >= 168 ? ubits(p, 149, 19) : ubits(p, 149, bitlen - 149),
  };
}
