import type { ApplicationMessage } from './application-types.js';
import { ATON_MONITORING_BITS, decodeAtonMonitoring } from './aton-monitoring.js';
import { BERTHING_DATA_BITS, decodeBerthingData } from './berthing-data.js';
import { decodeClearanceTimeToEnterPort } from './clearance-time-to-enter-port.js';
import { DANGEROUS_CARGO_289_MIN_BITS, decodeDangerousCargo289 } from './dangerous-cargo-289.js';
import { decodeDangerousCargoIndication } from './dangerous-cargo-indication.js';
import { decodeEmmaWarning, EMMA_WARNING_BITS } from './emma-warning.js';
import { decodeExtendedShipStatic, EXTENDED_SHIP_STATIC_BITS } from './extended-ship-static.js';
import { decodeFairwayClosed, FAIRWAY_CLOSED_BITS } from './fairway-closed.js';
import { decodeInlandEta, decodeInlandRta, INLAND_ETA_BITS, INLAND_RTA_BITS } from './inland-lock-times.js';
import { decodeInlandSignalStatus, INLAND_SIGNAL_STATUS_BITS } from './inland-signal-status.js';
import { decodeInlandStaticVoyage, INLAND_STATIC_BITS } from './inland-static-voyage.js';
import { decodeInlandWaterLevel, INLAND_WATER_LEVEL_BITS } from './inland-water-level.js';
import { decodeMarineTrafficSignal, MARINE_TRAFFIC_SIGNAL_BITS } from './marine-traffic-signal.js';
import { decodeMetHydro11, decodeMetHydro31 } from './met-hydro.js';
import { decodeInlandPersonsOnBoard, decodePersonsOnBoard } from './persons-on-board.js';
import { decodeRouteInformation, ROUTE_INFO_HEADER_BITS } from './route-info.js';
import { decodeSyntheticTargets, SYNTHETIC_TARGET_BITS } from './synthetic-targets.js';
import { decodeTextDescription } from './text-description.js';
import { decodeTidalWindow } from './tidal-window.js';

/** IMO289 persons on board is 13 bits + 3 spare; allow byte-alignment slack but not unrelated payloads. */
function isPersonsOnBoardLength(bitCount: number): boolean {
  return bitCount >= 13 && bitCount <= 24;
}

/**
 * Application messages of type 6 (data from bit 88). Returns null for DAC/FID pairs aisctl does
 * not decode, and for known pairs too short to hold every field of the layout (or, for the
 * fixed-length Inland AIS messages, of another length); the raw data stays in the message either
 * way, so a truncated message is never half-invented.
 */
export function decodeAddressedApplication(p: string, bitlen: number, dac: number, fid: number): ApplicationMessage | null {
  if (dac === 1) {
    switch (fid) {
      case 12:
        return decodeDangerousCargoIndication(p);
      case 14:
        return decodeTidalWindow(p, bitlen, 14);
      case 15:
        return bitlen - 88 >= EXTENDED_SHIP_STATIC_BITS ? decodeExtendedShipStatic(p, 88) : null;
      case 16:
        return isPersonsOnBoardLength(bitlen - 88) ? decodePersonsOnBoard(p, 88) : null;
      case 18:
        return decodeClearanceTimeToEnterPort(p);
      case 20:
        return bitlen >= BERTHING_DATA_BITS ? decodeBerthingData(p) : null;
      case 25:
        return bitlen >= DANGEROUS_CARGO_289_MIN_BITS ? decodeDangerousCargo289(p, bitlen) : null;
      case 28:
        return bitlen >= 88 + ROUTE_INFO_HEADER_BITS ? decodeRouteInformation(p, bitlen, 88) : null;
      case 30:
        return decodeTextDescription(p, bitlen, 88);
      case 32:
        return decodeTidalWindow(p, bitlen, 32);
      default:
        return null;
    }
  }
  if ((dac === 235 || dac === 250) && fid === 10) return bitlen === ATON_MONITORING_BITS ? decodeAtonMonitoring(p) : null;
  if (dac === 200) {
    if (fid === 21) return bitlen === INLAND_ETA_BITS ? decodeInlandEta(p) : null;
    if (fid === 22) return bitlen === INLAND_RTA_BITS ? decodeInlandRta(p) : null;
    if (fid === 55) return bitlen === 168 ? decodeInlandPersonsOnBoard(p) : null;
  }
  return null;
}

/** Application messages of type 8 (data from bit 56). */
export function decodeBroadcastApplication(p: string, bitlen: number, dac: number, fid: number): ApplicationMessage | null {
  if (dac === 1) {
    switch (fid) {
      case 11:
        return bitlen >= 352 ? decodeMetHydro11(p) : null;
      case 13:
        return bitlen >= FAIRWAY_CLOSED_BITS ? decodeFairwayClosed(p) : null;
      case 15:
        return bitlen - 56 >= EXTENDED_SHIP_STATIC_BITS ? decodeExtendedShipStatic(p, 56) : null;
      case 16:
        return isPersonsOnBoardLength(bitlen - 56) ? decodePersonsOnBoard(p, 56) : null;
      case 17:
        return bitlen >= 56 + SYNTHETIC_TARGET_BITS ? decodeSyntheticTargets(p, bitlen) : null;
      case 19:
        return bitlen >= MARINE_TRAFFIC_SIGNAL_BITS ? decodeMarineTrafficSignal(p) : null;
      case 27:
        return bitlen >= 56 + ROUTE_INFO_HEADER_BITS ? decodeRouteInformation(p, bitlen, 56) : null;
      case 29:
        return decodeTextDescription(p, bitlen, 56);
      case 31:
        return bitlen >= 350 ? decodeMetHydro31(p) : null;
      default:
        return null;
    }
  }
  if (dac === 200) {
    switch (fid) {
      case 10:
        return bitlen === INLAND_STATIC_BITS ? decodeInlandStaticVoyage(p) : null;
      case 23:
        return bitlen === EMMA_WARNING_BITS ? decodeEmmaWarning(p) : null;
      case 24:
        return bitlen === INLAND_WATER_LEVEL_BITS ? decodeInlandWaterLevel(p) : null;
      case 40:
        return bitlen === INLAND_SIGNAL_STATUS_BITS ? decodeInlandSignalStatus(p) : null;
      default:
        return null;
    }
  }
  return null;
}
