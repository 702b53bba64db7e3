import { ubits } from '../sixbit.js';
import type { CargoEntry, DangerousCargo289 } from './application-types.js';

/** Unit and amount end at bit 100; the cargo entries (17 bits each, at most 28) follow. */
export const DANGEROUS_CARGO_289_MIN_BITS = 100;

/**
 * DAC 1 FID 25 (type 6, IMO289). Only whole entries are cargo: trailing spare bits shorter than an
 * entry are padding, where gpsd reports them as one more (partly invented) entry.
 */
export function decodeDangerousCargo289(p: string, bitlen: number): DangerousCargo289 {
  const cargos: CargoEntry[] = [];
  for (let a = 100; a + 17 <= bitlen && cargos.length < 28; a += 17) {
    cargos.push({ code: ubits(p, a, 4), subtype: ubits(p, a + 4, 13) });
  }
  const amount = ubits(p, 90, 10);
  return { kind: 'dangerous-cargo-289', unit: ubits(p, 88, 2), amount: amount === 0 ? null : amount, cargos };
}
