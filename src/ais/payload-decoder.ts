/**
 * Decodes one complete (reassembled) AIVDM/AIVDO payload into the typed model. Pure: no I/O, no
 * clock. Never throws: every malformed input comes back as a PayloadFailure with a stable reason
 * (a metric label) and a detail for people.
 */
import type { RejectionReason } from './rejection-reason.js';
import { firstInvalidChar, ubits } from './sixbit.js';
import type { AisMessage } from './types.js';
import { ACKNOWLEDGE_MIN_BITS, decodeAcknowledge } from './messages/acknowledge.js';
import { AID_TO_NAVIGATION_MIN_BITS, decodeAidToNavigation } from './messages/aid-to-navigation.js';
import { ASSIGNED_MODE_MIN_BITS, decodeAssignedModeCommand } from './messages/assigned-mode-command.js';
import { BASE_STATION_MIN_BITS, decodeBaseStationReport } from './messages/base-station-report.js';
import { ADDRESSED_BINARY_MIN_BITS, BINARY_BROADCAST_MIN_BITS, decodeAddressedBinary, decodeBinaryBroadcast } from './messages/binary-message.js';
import { CHANNEL_MANAGEMENT_MIN_BITS, decodeChannelManagement, decodeGroupAssignment, GROUP_ASSIGNMENT_MIN_BITS } from './messages/channel-management.js';
import { DATA_LINK_MIN_BITS, decodeDataLinkManagement } from './messages/data-link-management.js';
import { decodeGnssBroadcast, GNSS_BROADCAST_MIN_BITS } from './messages/gnss-broadcast.js';
import { decodeInterrogation, INTERROGATION_MIN_BITS } from './messages/interrogation.js';
import { decodeLongRangeBroadcast, LONG_RANGE_MIN_BITS } from './messages/long-range-broadcast.js';
import { CLASS_A_MIN_BITS, decodePositionReportClassA } from './messages/position-report-class-a.js';
import {
  CLASS_B_MIN_BITS,
  decodeExtendedPositionReportClassB,
  decodePositionReportClassB,
  EXTENDED_CLASS_B_MIN_BITS,
} from './messages/position-report-class-b.js';
import { ADDRESSED_SAFETY_MIN_BITS, decodeAddressedSafetyMessage, decodeSafetyBroadcastMessage, SAFETY_BROADCAST_MIN_BITS } from './messages/safety-message.js';
import { decodeSarAircraftPosition, SAR_AIRCRAFT_MIN_BITS } from './messages/sar-aircraft-position.js';
import { decodeSlotBinaryMessage, MULTIPLE_SLOT_MIN_BITS, SINGLE_SLOT_MIN_BITS } from './messages/slot-binary-message.js';
import { decodeStaticDataReport, PART_A_MIN_BITS } from './messages/static-data-report.js';
import { decodeStaticVoyageData, STATIC_VOYAGE_MIN_BITS } from './messages/static-voyage-data.js';
import { decodeUtcInquiry, UTC_INQUIRY_MIN_BITS } from './messages/utc-inquiry.js';

export interface PayloadFailure {
  readonly error: RejectionReason;
  readonly detail: string;
}

export function isPayloadFailure(x: AisMessage | PayloadFailure): x is PayloadFailure {
  return (x as PayloadFailure).error !== undefined;
}

/** Minimum bits per type (index = type); types with sub-layouts refine this in their decoder. */
const MIN_BITS: readonly number[] = [
  0,
  CLASS_A_MIN_BITS,
  CLASS_A_MIN_BITS,
  CLASS_A_MIN_BITS,
  BASE_STATION_MIN_BITS,
  STATIC_VOYAGE_MIN_BITS,
  ADDRESSED_BINARY_MIN_BITS,
  ACKNOWLEDGE_MIN_BITS,
  BINARY_BROADCAST_MIN_BITS,
  SAR_AIRCRAFT_MIN_BITS,
  UTC_INQUIRY_MIN_BITS,
  BASE_STATION_MIN_BITS,
  ADDRESSED_SAFETY_MIN_BITS,
  ACKNOWLEDGE_MIN_BITS,
  SAFETY_BROADCAST_MIN_BITS,
  INTERROGATION_MIN_BITS,
  ASSIGNED_MODE_MIN_BITS,
  GNSS_BROADCAST_MIN_BITS,
  CLASS_B_MIN_BITS,
  EXTENDED_CLASS_B_MIN_BITS,
  DATA_LINK_MIN_BITS,
  AID_TO_NAVIGATION_MIN_BITS,
  CHANNEL_MANAGEMENT_MIN_BITS,
  GROUP_ASSIGNMENT_MIN_BITS,
  PART_A_MIN_BITS,
  SINGLE_SLOT_MIN_BITS,
  MULTIPLE_SLOT_MIN_BITS,
  LONG_RANGE_MIN_BITS,
];

function failure(error: RejectionReason, detail: string): PayloadFailure {
  return { error, detail };
}

function tooShort(type: number, bitlen: number, need: number): PayloadFailure {
  return failure('payload_too_short', `type ${type} needs at least ${need} bits, payload has ${bitlen}`);
}

/**
 * @param payload the armored payload (field 6 of the sentence, all fragments concatenated)
 * @param fillBits the fill-bit count of the last fragment (0..5)
 */
export function decodePayload(payload: string, fillBits: number): AisMessage | PayloadFailure {
  if (typeof payload !== 'string') return failure('malformed_sentence', 'payload is not a string');
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 5) {
    return failure('bad_fill_bits', `fill bits must be 0..5, got ${String(fillBits)}`);
  }
  const bad = firstInvalidChar(payload);
  if (bad >= 0) {
    const code = payload.charCodeAt(bad);
    return failure('bad_payload_char', `character ${JSON.stringify(payload[bad])} (0x${code.toString(16)}) at offset ${bad} is outside the 6-bit alphabet`);
  }
  const bitlen = payload.length * 6 - fillBits;
  if (bitlen < 38) return failure('payload_too_short', `payload has ${Math.max(bitlen, 0)} bits, the common header needs 38`);

  const type = ubits(payload, 0, 6);
  if (type === 0 || type > 27) return failure('unknown_type', `message type ${type} is not defined by ITU-R M.1371`);
  const need = MIN_BITS[type] as number;
  if (bitlen < need) return tooShort(type, bitlen, need);
  const repeat = ubits(payload, 6, 2);
  const mmsi = ubits(payload, 8, 30);
  const p = payload;

  switch (type) {
    case 1:
    case 2:
    case 3:
      return decodePositionReportClassA(p, bitlen, type, repeat, mmsi);
    case 4:
    case 11:
      return decodeBaseStationReport(p, type, repeat, mmsi);
    case 5:
      return decodeStaticVoyageData(p, bitlen, repeat, mmsi);
    case 6:
      return decodeAddressedBinary(p, bitlen, repeat, mmsi);
    case 7:
    case 13:
      return decodeAcknowledge(p, bitlen, type, repeat, mmsi);
    case 8:
      return decodeBinaryBroadcast(p, bitlen, repeat, mmsi);
    case 9:
      return decodeSarAircraftPosition(p, repeat, mmsi);
    case 10:
      return decodeUtcInquiry(p, repeat, mmsi);
    case 12:
      return decodeAddressedSafetyMessage(p, bitlen, repeat, mmsi);
    case 14:
      return decodeSafetyBroadcastMessage(p, bitlen, repeat, mmsi);
    case 15:
      return decodeInterrogation(p, bitlen, repeat, mmsi);
    case 16:
      return decodeAssignedModeCommand(p, bitlen, repeat, mmsi);
    case 17:
      return decodeGnssBroadcast(p, bitlen, repeat, mmsi);
    case 18:
      return decodePositionReportClassB(p, repeat, mmsi);
    case 19:
      return decodeExtendedPositionReportClassB(p, repeat, mmsi);
    case 20:
      return decodeDataLinkManagement(p, bitlen, repeat, mmsi);
    case 21:
      return decodeAidToNavigation(p, bitlen, repeat, mmsi);
    case 22:
      return decodeChannelManagement(p, repeat, mmsi);
    case 23:
      return decodeGroupAssignment(p, repeat, mmsi);
    case 24: {
      const part = decodeStaticDataReport(p, bitlen, repeat, mmsi);
      if (part !== null) return part;
      const partNo = ubits(p, 38, 2);
      return partNo > 1
        ? failure('unknown_type', `type 24 part number ${partNo} is not defined (only A=0 and B=1)`)
        : tooShort(24, bitlen, partNo === 0 ? 160 : 168);
    }
    case 25:
    case 26: {
      const msg = decodeSlotBinaryMessage(p, bitlen, type, repeat, mmsi);
      return msg ?? failure('payload_too_short', `type ${type} with ${bitlen} bits is too short for the header its flags announce`);
    }
    default:
      return decodeLongRangeBroadcast(p, repeat, mmsi);
  }
}
