/**
 * Typed model of decoded AIS messages (ITU-R M.1371-5), one interface per message type,
 * discriminated on `type`.
 *
 * Conventions: physical units (degrees, knots, metres); a field whose transmitted value is the
 * standard's "not available" code (lon 181, lat 91, sog 102.3, cog 360, heading 511, ROT -128,
 * draught 0, ...) is null, never the sentinel. Other out-of-range values are kept as decoded so
 * that validation downstream can see and count them. Raw codes with no physical unit (status,
 * second, maneuver, radio, epfd, ...) are kept as transmitted.
 */
import type { ApplicationMessage } from './application/application-types.js';

export type { ApplicationMessage } from './application/application-types.js';

interface Header {
  /** Message type 1..27. */
  readonly type: number;
  /** Repeat indicator 0..3. */
  readonly repeat: number;
  readonly mmsi: number;
}

/** Types 1, 2, 3: scheduled, assigned and interrogated class A position reports. */
export interface PositionReportClassA extends Header {
  readonly type: 1 | 2 | 3;
  /** Navigational status 0..15 as transmitted (15 = not defined; kept because gpsd prints it). */
  readonly navStatus: number;
  /**
   * Rate of turn in degrees per minute (negative = port), from ROT_AIS = 4.733 * sqrt(ROT).
   * Null when not available (-128) and when the sender only says "turning faster than 5 deg per
   * 30 s" (+-127): `rotRaw` keeps the direction.
   */
  readonly rot: number | null;
  /** Transmitted ROT_AIS, -128..127. */
  readonly rotRaw: number;
  /** Knots (0.1 kn resolution); 102.2 means 102.2 kn or more; null = not available. */
  readonly sog: number | null;
  /** true = high accuracy (< 10 m, DGNSS). */
  readonly accuracy: boolean;
  readonly lon: number | null;
  readonly lat: number | null;
  /** Course over ground, degrees (0.1 resolution); null = not available (360). */
  readonly cog: number | null;
  /** True heading, degrees; null = not available (511). */
  readonly heading: number | null;
  /** UTC second of the fix 0..59; 60 n/a, 61 manual, 62 dead reckoning, 63 inoperative. */
  readonly second: number;
  /** Special manoeuvre indicator 0..2. */
  readonly maneuver: number;
  readonly raim: boolean;
  /** SOTDMA/ITDMA communication state, 19 bits. */
  readonly radio: number;
}

/** Types 4 (base station report) and 11 (UTC/date response). */
export interface BaseStationReport extends Header {
  readonly type: 4 | 11;
  /** UTC date and time of the station; each part null when not available. */
  readonly year: number | null;
  readonly month: number | null;
  readonly day: number | null;
  readonly hour: number | null;
  readonly minute: number | null;
  readonly second: number | null;
  readonly accuracy: boolean;
  readonly lon: number | null;
  readonly lat: number | null;
  /** Type of electronic position fixing device 0..15. */
  readonly epfd: number;
  readonly raim: boolean;
  readonly radio: number;
}

/** Estimated time of arrival; each part null when not available (month 0, day 0, hour 24, minute 60). */
export interface Eta {
  readonly month: number | null;
  readonly day: number | null;
  readonly hour: number | null;
  readonly minute: number | null;
}

/** Type 5: static and voyage related data (class A). */
export interface StaticVoyageData extends Header {
  readonly type: 5;
  readonly aisVersion: number;
  /** IMO number; null when 0 (not available). */
  readonly imo: number | null;
  readonly callsign: string | null;
  readonly shipName: string | null;
  /** Ship and cargo type 1..255; null when 0 (not available). */
  readonly shipType: number | null;
  /** Dimensions to the reference point, metres (0 where the sender has no value). */
  readonly toBow: number;
  readonly toStern: number;
  readonly toPort: number;
  readonly toStarboard: number;
  readonly epfd: number;
  readonly eta: Eta;
  /** Maximum present static draught, metres; null when 0 (not available). */
  readonly draught: number | null;
  readonly destination: string | null;
  /** Data terminal equipment: 0 = available, 1 = not available. */
  readonly dte: number;
}

/** Types 6 (addressed) and 8 (broadcast) binary messages share their payload description. */
interface BinaryPayload {
  /** Designated area code (1 = international, 200 = inland, 235/250 = UK/IE, ...). */
  readonly dac: number;
  /** Function identifier within the DAC. */
  readonly fid: number;
  /** Number of application data bits after DAC/FID. */
  readonly bitCount: number;
  /** Application data as hex, `ceil(bitCount / 8)` bytes, unused low bits of the last byte zero. */
  readonly data: string;
  /** Decoded application message when this DAC/FID is one aisctl understands, else null. */
  readonly app: ApplicationMessage | null;
}

export interface AddressedBinaryMessage extends Header, BinaryPayload {
  readonly type: 6;
  readonly seqno: number;
  readonly destMmsi: number;
  readonly retransmit: boolean;
}

export interface BinaryBroadcastMessage extends Header, BinaryPayload {
  readonly type: 8;
}

export interface Acknowledgement {
  readonly mmsi: number;
  readonly seqno: number;
}

/** Types 7 (binary acknowledge) and 13 (safety related acknowledge): 1 to 4 destinations. */
export interface AcknowledgeMessage extends Header {
  readonly type: 7 | 13;
  readonly acks: readonly Acknowledgement[];
}

/** Type 9: standard SAR aircraft position report. */
export interface SarAircraftPosition extends Header {
  readonly type: 9;
  /** Altitude in metres (GNSS); 4094 means 4094 m or higher; null = not available (4095). */
  readonly alt: number | null;
  /** Speed over ground in whole knots; 1022 means 1022 kn or more; null = not available. */
  readonly sog: number | null;
  readonly accuracy: boolean;
  readonly lon: number | null;
  readonly lat: number | null;
  readonly cog: number | null;
  readonly second: number;
  /** Altitude sensor (regional reserved in older editions), 8 bits. */
  readonly regional: number;
  readonly dte: number;
  readonly assigned: boolean;
  readonly raim: boolean;
  /** Communication state with its selector flag, 20 bits. */
  readonly radio: number;
}

/** Type 10: UTC/date inquiry. */
export interface UtcInquiry extends Header {
  readonly type: 10;
  readonly destMmsi: number;
}

/** Type 12: addressed safety related message. */
export interface AddressedSafetyMessage extends Header {
  readonly type: 12;
  readonly seqno: number;
  readonly destMmsi: number;
  readonly retransmit: boolean;
  readonly text: string;
}

/** Type 14: safety related broadcast message. */
export interface SafetyBroadcastMessage extends Header {
  readonly type: 14;
  readonly text: string;
}

export interface InterrogationRequest {
  readonly mmsi: number;
  /** Requested message type. */
  readonly msgType: number;
  readonly slotOffset: number;
}

/** Type 15: interrogation, 1 to 3 requests (station 1 may be asked for two types). */
export interface Interrogation extends Header {
  readonly type: 15;
  readonly requests: readonly InterrogationRequest[];
}

export interface AssignedModeTarget {
  readonly mmsi: number;
  readonly offset: number;
  readonly increment: number;
}

/** Type 16: assigned mode command, 1 or 2 targets. */
export interface AssignedModeCommand extends Header {
  readonly type: 16;
  readonly targets: readonly AssignedModeTarget[];
}

/** Type 17: GNSS broadcast binary message (DGNSS corrections). */
export interface GnssBroadcast extends Header {
  readonly type: 17;
  /** Reference station position, degrees (1/10 minute resolution); null = not available. */
  readonly lon: number | null;
  readonly lat: number | null;
  readonly bitCount: number;
  readonly data: string;
}

/** Type 18: standard class B position report. */
export interface PositionReportClassB extends Header {
  readonly type: 18;
  /** Regional reserved bits 38..45. */
  readonly reserved: number;
  readonly sog: number | null;
  readonly accuracy: boolean;
  readonly lon: number | null;
  readonly lat: number | null;
  readonly cog: number | null;
  readonly heading: number | null;
  readonly second: number;
  readonly regional: number;
  /** Class B unit flag: true = carrier-sense (CS) unit, false = SOTDMA. */
  readonly cs: boolean;
  readonly display: boolean;
  readonly dsc: boolean;
  /** true = can use the whole marine band. */
  readonly band: boolean;
  /** true = accepts channel management by message 22. */
  readonly msg22: boolean;
  readonly assigned: boolean;
  readonly raim: boolean;
  /** Communication state with its selector flag, 20 bits. */
  readonly radio: number;
}

/** Type 19: extended class B position report. */
export interface ExtendedPositionReportClassB extends Header {
  readonly type: 19;
  readonly reserved: number;
  readonly sog: number | null;
  readonly accuracy: boolean;
  readonly lon: number | null;
  readonly lat: number | null;
  readonly cog: number | null;
  readonly heading: number | null;
  readonly second: number;
  readonly regional: number;
  readonly shipName: string | null;
  readonly shipType: number | null;
  readonly toBow: number;
  readonly toStern: number;
  readonly toPort: number;
  readonly toStarboard: number;
  readonly epfd: number;
  readonly raim: boolean;
  readonly dte: number;
  readonly assigned: boolean;
}

export interface SlotReservation {
  readonly offset: number;
  readonly number: number;
  readonly timeout: number;
  readonly increment: number;
}

/** Type 20: data link management, 1 to 4 reservations. */
export interface DataLinkManagement extends Header {
  readonly type: 20;
  readonly reservations: readonly SlotReservation[];
}

/** Type 21: aid-to-navigation report. */
export interface AidToNavigationReport extends Header {
  readonly type: 21;
  readonly aidType: number;
  /** Name including the name extension (up to 34 characters). */
  readonly name: string;
  readonly accuracy: boolean;
  readonly lon: number | null;
  readonly lat: number | null;
  readonly toBow: number;
  readonly toStern: number;
  readonly toPort: number;
  readonly toStarboard: number;
  readonly epfd: number;
  readonly second: number;
  readonly offPosition: boolean;
  readonly regional: number;
  readonly raim: boolean;
  readonly virtualAid: boolean;
  readonly assigned: boolean;
}

/** Type 22: channel management; either a geographic area or two addressed stations. */
export interface ChannelManagement extends Header {
  readonly type: 22;
  readonly channelA: number;
  readonly channelB: number;
  readonly txrx: number;
  /** true = low power. */
  readonly power: boolean;
  readonly addressed: boolean;
  /** Area corners in degrees (1/10 minute resolution); null when addressed. */
  readonly neLon: number | null;
  readonly neLat: number | null;
  readonly swLon: number | null;
  readonly swLat: number | null;
  /** Addressed stations; null when the message defines an area. */
  readonly dest1: number | null;
  readonly dest2: number | null;
  readonly bandA: boolean;
  readonly bandB: boolean;
  readonly zoneSize: number;
}

/** Type 23: group assignment command. */
export interface GroupAssignment extends Header {
  readonly type: 23;
  readonly neLon: number;
  readonly neLat: number;
  readonly swLon: number;
  readonly swLat: number;
  readonly stationType: number;
  readonly shipType: number;
  readonly txrx: number;
  /** Reporting interval code 0..15. */
  readonly interval: number;
  /** Quiet time in minutes, 0 = none. */
  readonly quiet: number;
}

/** Type 24 part A: the name. */
export interface StaticDataReportPartA extends Header {
  readonly type: 24;
  readonly partNo: 0;
  readonly shipName: string | null;
}

/** Type 24 part B: type, vendor, callsign and dimensions (or mothership for auxiliary craft). */
export interface StaticDataReportPartB extends Header {
  readonly type: 24;
  readonly partNo: 1;
  readonly shipType: number | null;
  /**
   * Vendor ID as 7 characters (the pre-M.1371-4 layout); M.1371-4+ senders put a 3-character
   * manufacturer code here followed by `model` and `serial`, so both readings are kept.
   */
  readonly vendorId: string;
  readonly model: number;
  readonly serial: number;
  readonly callsign: string | null;
  /** Dimensions; null for auxiliary craft (MMSI 98xxxxxxx), which send a mothership MMSI instead. */
  readonly toBow: number | null;
  readonly toStern: number | null;
  readonly toPort: number | null;
  readonly toStarboard: number | null;
  readonly mothershipMmsi: number | null;
}

export type StaticDataReportPart = StaticDataReportPartA | StaticDataReportPartB;

/** Type 24 parts A and B of one MMSI merged into one record (see Type24Merger). */
export interface StaticDataReport extends Header {
  readonly type: 24;
  /** null marks a merged A+B record. */
  readonly partNo: null;
  readonly shipName: string | null;
  readonly shipType: number | null;
  readonly vendorId: string;
  readonly model: number;
  readonly serial: number;
  readonly callsign: string | null;
  readonly toBow: number | null;
  readonly toStern: number | null;
  readonly toPort: number | null;
  readonly toStarboard: number | null;
  readonly mothershipMmsi: number | null;
}

/** Types 25 (single slot) and 26 (multiple slot) binary messages. */
export interface SlotBinaryMessage extends Header {
  readonly type: 25 | 26;
  readonly addressed: boolean;
  /** true = the data starts with a 16-bit application identifier (DAC + FID). */
  readonly structured: boolean;
  readonly destMmsi: number | null;
  readonly appId: number | null;
  readonly bitCount: number;
  readonly data: string;
  /** Type 26 only: communication state with its selector flag (last 20 bits); null for type 25. */
  readonly radio: number | null;
}

/** Type 27: long range AIS broadcast (satellite). */
export interface LongRangeBroadcast extends Header {
  readonly type: 27;
  readonly accuracy: boolean;
  readonly raim: boolean;
  readonly navStatus: number;
  /** Degrees at 1/10 minute resolution; null = not available. */
  readonly lon: number | null;
  readonly lat: number | null;
  /** Whole knots; null = not available (63). */
  readonly sog: number | null;
  /** Whole degrees; null = not available (511). */
  readonly cog: number | null;
  /** true = position is NOT from the current GNSS fix (latency > 5 s). */
  readonly gnss: boolean;
}

export type AisMessage =
  | PositionReportClassA
  | BaseStationReport
  | StaticVoyageData
  | AddressedBinaryMessage
  | AcknowledgeMessage
  | BinaryBroadcastMessage
  | SarAircraftPosition
  | UtcInquiry
  | AddressedSafetyMessage
  | SafetyBroadcastMessage
  | Interrogation
  | AssignedModeCommand
  | GnssBroadcast
  | PositionReportClassB
  | ExtendedPositionReportClassB
  | DataLinkManagement
  | AidToNavigationReport
  | ChannelManagement
  | GroupAssignment
  | StaticDataReportPart
  | StaticDataReport
  | SlotBinaryMessage
  | LongRangeBroadcast;
