import { sbits, ubits } from '../sixbit.js';
import type { DayTime } from './application-types.js';

/*
 * Field readers shared by the application decoders. IMO236/289 positions are 25/24-bit values in
 * 1/1000 minute; the Inland AIS messages use the 28/27-bit 1/10000-minute form of the position
 * reports. Both send 181 deg / 91 deg for "not available", which the model turns into null.
 */

export function lon1000(p: string, at: number): number | null {
  const v = sbits(p, at, 25);
  return v === 181 * 60000 ? null : v / 60000;
}

export function lat1000(p: string, at: number): number | null {
  const v = sbits(p, at, 24);
  return v === 91 * 60000 ? null : v / 60000;
}

export function lon10000(p: string, at: number): number | null {
  const v = sbits(p, at, 28);
  return v === 181 * 600000 ? null : v / 600000;
}

export function lat10000(p: string, at: number): number | null {
  const v = sbits(p, at, 27);
  return v === 91 * 600000 ? null : v / 600000;
}

/** The 20-bit month/day/hour/minute group (4+5+5+6 bits), values as transmitted. */
export function dayTime(p: string, at: number): DayTime {
  return { month: ubits(p, at, 4), day: ubits(p, at + 4, 5), hour: ubits(p, at + 9, 5), minute: ubits(p, at + 14, 6) };
}
