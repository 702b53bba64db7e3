import type { NormalizedMessage, StaticReport } from '../../normalize/message.js';
import { csvField } from '../csv-record.js';
import { cell, lengthOf, utcSeconds, widthOf, type RecordWriter } from './record-writer.js';

const HEADER_2023 = 'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass';
const HEADER_2024 = 'mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign,vessel_type,status,length,width,draft,cargo,transceiver';

/**
 * MarineCadastre rows. The 2015-2023 layout writes AIS sentinels (102.3, 360, 511) for missing
 * kinematics as those files do; the 2024+ layout leaves them empty. Times are whole seconds.
 */
export class NoaaCsvWriter implements RecordWriter {
  readonly format: 'noaa-csv-2023' | 'noaa-csv-2024';

  constructor(private readonly layout: 2023 | 2024) {
    this.format = layout === 2023 ? 'noaa-csv-2023' : 'noaa-csv-2024';
  }

  header(): string {
    return this.layout === 2023 ? HEADER_2023 : HEADER_2024;
  }

  line(m: NormalizedMessage, s: StaticReport | null = null): string | null {
    if (m.kind !== 'position') return null;
    const legacy = this.layout === 2023;
    const time = utcSeconds(m.ts, legacy ? 'T' : ' ');
    const sog = m.sog ?? (legacy ? 102.3 : null);
    const cog = m.cog ?? (legacy ? 360 : null);
    const heading = m.heading ?? (legacy ? 511 : null);
    const statics = [
      csvField(s?.name ?? ''),
      s?.imo === null || s?.imo === undefined ? '' : `IMO${s.imo}`,
      csvField(s?.callsign ?? ''),
      cell(s?.shipType),
      cell(m.navStatus),
      cell(lengthOf(s)),
      cell(widthOf(s)),
      cell(s?.draught),
      '',
      m.msgType === 18 || m.msgType === 19 ? 'B' : 'A',
    ];
    const lead = legacy ? [m.mmsi, time, m.lat, m.lon, cell(sog), cell(cog), cell(heading)] : [m.mmsi, time, m.lon, m.lat, cell(sog), cell(cog), cell(heading)];
    return [...lead, ...statics].join(',');
  }
}
