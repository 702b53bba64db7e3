import { sixbitText, ubits } from '../sixbit.js';
import type { Gauge, InlandWaterLevel } from './application-types.js';

/** Country code plus exactly four 25-bit gauge slots: a fixed 168-bit message. */
export const INLAND_WATER_LEVEL_BITS = 168;

/**
 * The 14-bit level is sign and magnitude with the sign in the least significant bit (1 = above,
 * 0 = below the reference level) and the magnitude in centimetres above it; magnitude 0 means
 * unknown. The registry entry says so explicitly ("the LSB of the water level code is used to
 * indicate if the water level is higher or lower"); gpsd reads two's complement instead.
 */
export function waterLevel(raw: number): number | null {
  const centimetres = raw >>> 1;
  if (centimetres === 0) return null;
  return ((raw & 1) === 1 ? centimetres : -centimetres) / 100;
}

/** DAC 200 FID 24 (type 8). */
export function decodeInlandWaterLevel(p: string): InlandWaterLevel {
  const gauges: Gauge[] = [];
  for (let a = 68; a < INLAND_WATER_LEVEL_BITS; a += 25) {
    const id = ubits(p, a, 11);
    gauges.push({ id: id === 0 ? null : id, level: waterLevel(ubits(p, a + 11, 14)) });
  }
  return { kind: 'inland-water-level', country: sixbitText(p, 56, 2), gauges };
}
