import type { ApplicationMessage } from './application-types.js';
import { ATON_MONITORING_BITS, decodeAtonMonitoring } from './aton-monitoring.js';
import { decodeClearanceTimeToEnterPort } from './clearance-time-to-enter-port.js';
import { decodeDangerousCargoIndication } from './dangerous-cargo-indication.js';
import { decodeInlandStaticVoyage, INLAND_STATIC_BITS } from './inland-static-voyage.js';
import { decodeMetHydro11, decodeMetHydro31 } from './met-hydro.js';
import { decodeInlandPersonsOnBoard, decodePersonsOnBoard } from './persons-on-board.js';
import { decodeTextDescription } from './text-description.js';
import { decodeTidalWindow } from './tidal-window.js';

/** IMO289 persons on board is 13 bits + 3 spare; allow byte-alignment slack but not unrelated payloads. */
function isPersonsOnBoardLength(bitCount: number): boolean {
  return bitCount >= 13 && bitCount <= 24;
}

/**
 * Application messages of type 6 (data from bit 88). Returns null for DAC/FID pairs aisctl does
 * not decode, and for known pairs whose length rules out that layout; the raw data stays in the
 * message either way.
 */
export function decodeAddressedApplication(p: string, bitlen: number, dac: number, fid: number): ApplicationMessage | null {
  if (dac === 1) {
    switch (fid) {
      case 12:
        return decodeDangerousCargoIndication(p);
      case 14:
        return decodeTidalWindow(p, bitlen, 14);
      case 16:
        return isPersonsOnBoardLength(bitlen - 88) ? decodePersonsOnBoard(p, 88) : null;
      case 18:
        return decodeClearanceTimeToEnterPort(p);
      case 30:
        return decodeTextDescription(p, bitlen, 88);
      case 32:
        return decodeTidalWindow(p, bitlen, 32);
      default:
        return null;
    }
  }
  if ((dac === 235 || dac === 250) && fid === 10) return bitlen === ATON_MONITORING_BITS ? decodeAtonMonitoring(p) : null;
  if (dac === 200 && fid === 55) return bitlen === 168 ? decodeInlandPersonsOnBoard(p) : null;
  return null;
}

/** Application messages of type 8 (data from bit 56). */
export function decodeBroadcastApplication(p: string, bitlen: number, dac: number, fid: number): ApplicationMessage | null {
  if (dac === 1) {
    switch (fid) {
      case 11:
        return bitlen >= 352 ? decodeMetHydro11(p) : null;
      case 16:
        return isPersonsOnBoardLength(bitlen - 56) ? decodePersonsOnBoard(p, 56) : null;
      case 29:
        return decodeTextDescription(p, bitlen, 56);
      case 31:
        return bitlen >= 350 ? decodeMetHydro31(p) : null;
      default:
        return null;
    }
  }
  if (dac === 200 && fid === 10) return bitlen === INLAND_STATIC_BITS ? decodeInlandStaticVoyage(p) : null;
  return null;
}
