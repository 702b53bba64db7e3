import { ubits } from '../sixbit.js';
import type { AssignedModeCommand, AssignedModeTarget } from '../types.js';

export const ASSIGNED_MODE_MIN_BITS = 96;

/** Type 16 (M.1371-5 table 59): 96 bits for one target, 144 for two. */
export function decodeAssignedModeCommand(p: string, bitlen: number, repeat: number, mmsi: number): AssignedModeCommand {
  const targets: AssignedModeTarget[] = [{ mmsi: ubits(p, 40, 30), offset: ubits(p, 70, 12), increment: ubits(p, 82, 10) }];
  if (bitlen >= 144) targets.push({ mmsi: ubits(p, 92, 30), offset: ubits(p, 122, 12), increment: ubits(p, 134, 10) });
  return { type: 16, repeat, mmsi, targets };
}
