import type { NormalizedMessage, StaticReport } from '../../normalize/message.js';
import { csvField } from '../csv-record.js';
import { DMA_NAV_STATUS, dmaShipTypeText } from '../dma-vocabulary.js';
import { cell, lengthOf, widthOf, type RecordWriter } from './record-writer.js';

const HEADER =
  '# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,' +
  'Ship type,Cargo type,Width,Length,Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D';

function dmaTime(ts: number): string {
  const iso = new Date(ts).toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
}

/** Danish Maritime Authority `aisdk` rows (26 columns), times in whole seconds. */
export class DmaCsvWriter implements RecordWriter {
  readonly format = 'dma-csv' as const;

  header(): string {
    return HEADER;
  }

  line(m: NormalizedMessage, s: StaticReport | null = null): string | null {
    if (m.kind !== 'position') return null;
    return [
      dmaTime(m.ts),
      m.msgType === 18 || m.msgType === 19 ? 'Class B' : 'Class A',
      m.mmsi,
      m.lat,
      m.lon,
      DMA_NAV_STATUS[m.navStatus ?? 15] ?? 'Unknown value',
      '',
      cell(m.sog),
      cell(m.cog),
      cell(m.heading),
      s?.imo === null || s?.imo === undefined ? 'Unknown' : s.imo,
      csvField(s?.callsign ?? ''),
      csvField(s?.name ?? ''),
      dmaShipTypeText(s?.shipType ?? null),
      '',
      cell(widthOf(s)),
      cell(lengthOf(s)),
      'Undefined',
      cell(s?.draught),
      csvField(s?.destination ?? ''),
      '',
      'AIS',
      cell(s?.toBow),
      cell(s?.toStern),
      cell(s?.toPort),
      cell(s?.toStarboard),
    ].join(',');
  }
}
