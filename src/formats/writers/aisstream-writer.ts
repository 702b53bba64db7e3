import type { NormalizedMessage } from '../../normalize/message.js';
import type { RecordWriter } from './record-writer.js';

const POSITION_MESSAGE: Readonly<Record<number, string>> = {
  9: 'StandardSearchAndRescueAircraftReport',
  18: 'StandardClassBPositionReport',
  19: 'ExtendedClassBPositionReport',
  27: 'LongRangeAisBroadcastMessage',
};

/** aisstream's time_utc: Go's default time format. */
function goTime(ts: number): string {
  const iso = new Date(ts).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000000 +0000 UTC`;
}

/** aisstream.io websocket JSON, one message per line, with AIS sentinels for missing values. */
export class AisstreamWriter implements RecordWriter {
  readonly format = 'aisstream' as const;

  header(): null {
    return null;
  }

  line(m: NormalizedMessage): string {
    const meta = { MMSI: m.mmsi, MMSI_String: m.mmsi, ShipName: '', latitude: 0, longitude: 0, time_utc: goTime(m.ts) };
    if (m.kind === 'static') {
      const body = {
        MessageID: 5,
        RepeatIndicator: 0,
        UserID: m.mmsi,
        Valid: true,
        AisVersion: 0,
        ImoNumber: m.imo ?? 0,
        CallSign: m.callsign ?? '',
        Name: m.name ?? '',
        Type: m.shipType ?? 0,
        Dimension: { A: m.toBow ?? 0, B: m.toStern ?? 0, C: m.toPort ?? 0, D: m.toStarboard ?? 0 },
        FixType: 0,
        Eta: { Month: 0, Day: 0, Hour: 24, Minute: 60 },
        MaximumStaticDraught: m.draught ?? 0,
        Destination: m.destination ?? '',
        Dte: false,
        Spare: false,
      };
      return JSON.stringify({ Message: { ShipStaticData: body }, MessageType: 'ShipStaticData', MetaData: { ...meta, ShipName: m.name ?? '' } });
    }
    const type = POSITION_MESSAGE[m.msgType] ?? 'PositionReport';
    const longRange = m.msgType === 27;
    const body: Record<string, unknown> = {
      MessageID: type === 'PositionReport' ? (m.msgType >= 1 && m.msgType <= 3 ? m.msgType : 1) : m.msgType,
      RepeatIndicator: 0,
      UserID: m.mmsi,
      Valid: true,
      Latitude: m.lat,
      Longitude: m.lon,
      Sog: m.sog ?? (longRange ? 63 : 102.3),
      Cog: m.cog ?? (longRange ? 511 : 360),
    };
    if (type === 'PositionReport' || longRange) body['NavigationalStatus'] = m.navStatus ?? 15;
    if (m.msgType !== 9 && !longRange) body['TrueHeading'] = m.heading ?? 511;
    return JSON.stringify({ Message: { [type]: body }, MessageType: type, MetaData: { ...meta, latitude: m.lat, longitude: m.lon } });
  }
}
