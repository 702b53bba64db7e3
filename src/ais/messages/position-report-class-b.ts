import { sbits, sixbitText, ubits } from '../sixbit.js';
import type { ExtendedPositionReportClassB, PositionReportClassB } from '../types.js';
import { courseTenths, heading, lat10k, lon10k, shipType, speedTenths, text } from './field-values.js';

export const CLASS_B_MIN_BITS = 168;
export const EXTENDED_CLASS_B_MIN_BITS = 312;

/** Type 18 (M.1371-5 table 61). */
export function decodePositionReportClassB(p: string, repeat: number, mmsi: number): PositionReportClassB {
  return {
    type: 18,
    repeat,
    mmsi,
    reserved: ubits(p, 38, 8),
    sog: speedTenths(ubits(p, 46, 10)),
    accuracy: ubits(p, 56, 1) === 1,
    lon: lon10k(sbits(p, 57, 28)),
    lat: lat10k(sbits(p, 85, 27)),
    cog: courseTenths(ubits(p, 112, 12)),
    heading: heading(ubits(p, 124, 9)),
    second: ubits(p, 133, 6),
    regional: ubits(p, 139, 2),
    cs: ubits(p, 141, 1) === 1,
    display: ubits(p, 142, 1) === 1,
    dsc: ubits(p, 143, 1) === 1,
    band: ubits(p, 144, 1) === 1,
    msg22: ubits(p, 145, 1) === 1,
    assigned: ubits(p, 146, 1) === 1,
    raim: ubits(p, 147, 1) === 1,
    radio: ubits(p, 148, 20),
  };
}

/** Type 19 (M.1371-5 table 62): a class B position plus the static fields of type 24. */
export function decodeExtendedPositionReportClassB(p: string, repeat: number, mmsi: number): ExtendedPositionReportClassB {
  return {
    type: 19,
    repeat,
    mmsi,
    reserved: ubits(p, 38, 8),
    sog: speedTenths(ubits(p, 46, 10)),
    accuracy: ubits(p, 56, 1) === 1,
    lon: lon10k(sbits(p, 57, 28)),
    lat: lat10k(sbits(p, 85, 27)),
    cog: courseTenths(ubits(p, 112, 12)),
    heading: heading(ubits(p, 124, 9)),
    second: ubits(p, 133, 6),
    regional: ubits(p, 139, 4),
    shipName: text(sixbitText(p, 143, 20)),
    shipType: shipType(ubits(p, 263, 8)),
    toBow: ubits(p, 271, 9),
    toStern: ubits(p, 280, 9),
    toPort: ubits(p, 289, 6),
    toStarboard: ubits(p, 295, 6),
    epfd: ubits(p, 301, 4),
    raim: ubits(p, 305, 1) === 1,
    dte: ubits(p, 306, 1),
    assigned: ubits(p, 307, 1) === 1,
  };
}
