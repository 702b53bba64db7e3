import { ubits } from '../sixbit.js';
import type { InlandPersonsOnBoard, PersonsOnBoard } from './application-types.js';

/**
 * DAC 1 FID 16: IMO289 puts the 13-bit count right after the header (136 data bits in type 6,
 * 72 in type 8); the older IMO236 layout is only known for type 8 at 72 bits.
 */
export function decodePersonsOnBoard(p: string, at: number): PersonsOnBoard {
  return { kind: 'persons-on-board', persons: ubits(p, at, 13) };
}

/** DAC 200 FID 55 (Inland AIS), exactly 168 bits. */
export function decodeInlandPersonsOnBoard(p: string): InlandPersonsOnBoard {
  return { kind: 'inland-persons-on-board', crew: ubits(p, 88, 8), passengers: ubits(p, 96, 13), personnel: ubits(p, 109, 8) };
}
