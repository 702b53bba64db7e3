/**
 * aisstream.io websocket messages, one JSON object per line:
 * `{"MessageType": "...", "Message": {"<MessageType>": {...}}, "MetaData": {"time_utc": ...}}`.
 * Event time is MetaData.time_utc (Go's `2024-09-17 14:38:55.281038479 +0000 UTC`). Message
 * types without a vessel position or static data are ignored and counted by type.
 */
import type { Origin } from '../normalize/message.js';
import { buildPosition, buildStatic, combineRecord, type StaticCandidate } from '../normalize/report-builder.js';
import { ignoredOutcome, rejectedOutcome, type NormalizeOutcome } from '../normalize/normalize-outcome.js';
import { parseIsoTime } from '../normalize/time.js';
import { Type24PartCache } from '../normalize/type24-part-cache.js';
import { FieldProblems, jsonInteger, jsonNumber, jsonObject, jsonString, parseJsonObject, type JsonObject } from './field-reader.js';
import type { OutcomeSink, ParserOptions, RecordParser } from './record-parser.js';

/** aisstream message types that aisctl reads; every other type is ignored. */
const POSITION_TYPE: Readonly<Record<string, number>> = {
  StandardClassBPositionReport: 18,
  ExtendedClassBPositionReport: 19,
  StandardSearchAndRescueAircraftReport: 9,
  LongRangeAisBroadcastMessage: 27,
};

const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'PositionReport',
  'UnknownMessage',
  'AddressedSafetyMessage',
  'AddressedBinaryMessage',
  'AidsToNavigationReport',
  'AssignedModeCommand',
  'BaseStationReport',
  'BinaryAcknowledge',
  'BinaryBroadcastMessage',
  'ChannelManagement',
  'CoordinatedUTCInquiry',
  'DataLinkManagementMessage',
  'DataLinkManagementMessageData',
  'ExtendedClassBPositionReport',
  'GroupAssignmentCommand',
  'GnssBroadcastBinaryMessage',
  'Interrogation',
  'LongRangeAisBroadcastMessage',
  'MultiSlotBinaryMessage',
  'SafetyBroadcastMessage',
  'ShipStaticData',
  'SingleSlotBinaryMessage',
  'StandardClassBPositionReport',
  'StandardSearchAndRescueAircraftReport',
  'StaticDataReport',
]);

export class AisstreamParser implements RecordParser {
  private readonly type24 = new Type24PartCache();

  constructor(private readonly opts: ParserOptions) {}

  parseLine(line: string, lineNo: number, nowMs: number, emit: OutcomeSink): void {
    const text = line.trim();
    if (text === '') return;
    const origin: Origin = { file: this.opts.file, line: lineNo };
    const parsed = parseJsonObject(text, 'expected one aisstream message object per line');
    if (!parsed.ok) {
      emit(rejectedOutcome({ reason: 'malformed_record', detail: parsed.detail, origin }));
      return;
    }
    emit(this.parseMessage(parsed.value, origin, nowMs));
  }

  finish(): void {}

  parseMessage(obj: JsonObject, origin: Origin, nowMs: number): NormalizeOutcome {
    const p = new FieldProblems();
    const type = jsonString(obj, 'MessageType', p);
    const message = jsonObject(obj, 'Message', p, true);
    const meta = jsonObject(obj, 'MetaData', p, true);
    if (type === null) p.missing('MessageType');
    const first = p.toRejection(origin);
    if (first !== null) return rejectedOutcome(first);
    const messageType = type as string;
    if (messageType !== 'PositionReport' && messageType !== 'ShipStaticData' && messageType !== 'StaticDataReport' && !(messageType in POSITION_TYPE)) {
      return ignoredOutcome(`aisstream:${KNOWN_TYPES.has(messageType) ? messageType : 'other'}`);
    }
    const body = jsonObject(message as JsonObject, messageType, p, true, `Message.${messageType}`);
    const timeText = jsonString(meta as JsonObject, 'time_utc', p, 'MetaData.time_utc');
    if (timeText === null) p.missing('MetaData.time_utc');
    const bodyRejection = p.toRejection(origin);
    if (bodyRejection !== null) return rejectedOutcome(bodyRejection);
    const b = body as JsonObject;
    if (b['Valid'] === false) {
      return rejectedOutcome({ reason: 'malformed_record', detail: `${messageType} marked Valid: false by aisstream`, origin });
    }
    const ts = parseIsoTime(timeText as string);
    if (Number.isNaN(ts)) {
      return rejectedOutcome({ reason: 'bad_time', detail: `MetaData.time_utc ${JSON.stringify(timeText)} is not a valid time`, origin });
    }
    const mmsi = jsonInteger(b, 'UserID', p) ?? jsonInteger(meta as JsonObject, 'MMSI', p, true, 'UserID');
    const source = this.opts.source ?? 'aisstream';
    const ctx = { nowMs, maxFutureMs: this.opts.maxFutureMs };

    if (messageType === 'ShipStaticData' || messageType === 'StaticDataReport') {
      const c = messageType === 'ShipStaticData' ? shipStatic(b, p) : this.staticDataReport(b, mmsi ?? 0, p);
      const rejection = p.toRejection(origin);
      if (rejection !== null) return rejectedOutcome(rejection);
      return buildStatic(withIdentity(c, mmsi as number, ts, source), origin, ctx);
    }

    const msgType = messageType === 'PositionReport' ? (jsonInteger(b, 'MessageID', p) ?? 1) : (POSITION_TYPE[messageType] ?? 0);
    let sog = jsonNumber(b, 'Sog', p);
    let cog = jsonNumber(b, 'Cog', p);
    if (msgType === 27) {
      // Type 27 sends whole knots and degrees, with 63 and 511 for "not available".
      if (sog === 63) sog = null;
      if (cog === 511) cog = null;
    }
    const position = {
      mmsi: mmsi as number,
      ts,
      lat: jsonNumber(b, 'Latitude', p, true),
      lon: jsonNumber(b, 'Longitude', p, true),
      sog,
      cog,
      heading: jsonNumber(b, 'TrueHeading', p),
      navStatus: msgType <= 3 || msgType === 27 ? jsonInteger(b, 'NavigationalStatus', p) : null,
      msgType,
      source,
    };
    const staticPart = messageType === 'ExtendedClassBPositionReport' ? extendedClassBStatic(b, p) : null;
    const rejection = p.toRejection(origin);
    if (rejection !== null) return rejectedOutcome(rejection);
    const pos = buildPosition(position, origin, ctx);
    if (staticPart === null) return pos;
    return combineRecord(pos, buildStatic(withIdentity(staticPart, mmsi as number, ts, source), origin, ctx));
  }

  private staticDataReport(b: JsonObject, mmsi: number, p: FieldProblems): StaticFields {
    if (b['PartNumber'] !== true) {
      const a = jsonObject(b, 'ReportA', p, true, 'StaticDataReport.ReportA');
      const name = a === null ? null : jsonString(a, 'Name', p, 'ReportA.Name');
      return fromType24(this.type24.add(mmsi, { a: { name } }));
    }
    const r = jsonObject(b, 'ReportB', p, true, 'StaticDataReport.ReportB');
    const dim = r === null ? null : jsonObject(r, 'Dimension', p);
    const d = dimensions(dim, p);
    const partB = {
      shipType: r === null ? null : jsonInteger(r, 'ShipType', p),
      callsign: r === null ? null : jsonString(r, 'CallSign', p),
      toBow: d.toBow,
      toStern: d.toStern,
      toPort: d.toPort,
      toStarboard: d.toStarboard,
    };
    return fromType24(this.type24.add(mmsi, { b: partB }));
  }
}

type StaticFields = Omit<StaticCandidate, 'mmsi' | 'ts' | 'source'>;

interface Dimensions {
  toBow: number | null;
  toStern: number | null;
  toPort: number | null;
  toStarboard: number | null;
}

function dimensions(dim: JsonObject | null, p: FieldProblems): Dimensions {
  return {
    toBow: dim === null ? null : jsonNumber(dim, 'A', p, false, 'Dimension.A'),
    toStern: dim === null ? null : jsonNumber(dim, 'B', p, false, 'Dimension.B'),
    toPort: dim === null ? null : jsonNumber(dim, 'C', p, false, 'Dimension.C'),
    toStarboard: dim === null ? null : jsonNumber(dim, 'D', p, false, 'Dimension.D'),
  };
}

/** Explicit literals, no spreads: see buildStatic on V8 dictionary objects. */
function staticFields(
  name: string | null,
  callsign: string | null,
  imo: number | null,
  shipType: number | null,
  d: Dimensions,
  draught: number | null,
  destination: string | null,
  msgType: number,
): StaticFields {
  return {
    name,
    callsign,
    imo,
    shipType,
    toBow: d.toBow,
    toStern: d.toStern,
    toPort: d.toPort,
    toStarboard: d.toStarboard,
    draught,
    destination,
    msgType,
  };
}

function withIdentity(f: StaticFields, mmsi: number, ts: number, source: string): StaticCandidate {
  return {
    mmsi,
    ts,
    source,
    name: f.name,
    callsign: f.callsign,
    imo: f.imo,
    shipType: f.shipType,
    toBow: f.toBow,
    toStern: f.toStern,
    toPort: f.toPort,
    toStarboard: f.toStarboard,
    draught: f.draught,
    destination: f.destination,
    msgType: f.msgType,
  };
}

function shipStatic(b: JsonObject, p: FieldProblems): StaticFields {
  return staticFields(
    jsonString(b, 'Name', p),
    jsonString(b, 'CallSign', p),
    jsonInteger(b, 'ImoNumber', p),
    jsonInteger(b, 'Type', p),
    dimensions(jsonObject(b, 'Dimension', p), p),
    jsonNumber(b, 'MaximumStaticDraught', p),
    jsonString(b, 'Destination', p),
    5,
  );
}

function extendedClassBStatic(b: JsonObject, p: FieldProblems): StaticFields {
  return staticFields(jsonString(b, 'Name', p), null, null, jsonInteger(b, 'Type', p), dimensions(jsonObject(b, 'Dimension', p), p), null, null, 19);
}

function fromType24(parts: ReturnType<Type24PartCache['add']>): StaticFields {
  const b = parts.b;
  const d: Dimensions = { toBow: b?.toBow ?? null, toStern: b?.toStern ?? null, toPort: b?.toPort ?? null, toStarboard: b?.toStarboard ?? null };
  return staticFields(parts.a?.name ?? null, b?.callsign ?? null, null, b?.shipType ?? null, d, null, null, 24);
}
