import type { NormalizedMessage, StaticReport } from '../../normalize/message.js';
import type { RecordWriter } from './record-writer.js';

/**
 * AISHub web-service records, one object per line (the reader also takes the service's whole
 * `[{header},[records]]` document; see aishubDocument). Format 0 uses raw AIS units.
 */
export class AishubWriter implements RecordWriter {
  readonly format: 'aishub-0' | 'aishub-1';

  constructor(private readonly units: 0 | 1) {
    this.format = units === 0 ? 'aishub-0' : 'aishub-1';
  }

  header(): null {
    return null;
  }

  line(m: NormalizedMessage, statics: StaticReport | null = null): string | null {
    if (m.kind !== 'position') return null;
    return JSON.stringify(this.record(m, statics));
  }

  record(m: Extract<NormalizedMessage, { kind: 'position' }>, s: StaticReport | null): Record<string, unknown> {
    const raw = this.units === 0;
    const iso = new Date(m.ts).toISOString();
    return {
      MMSI: m.mmsi,
      TIME: raw ? String(Math.floor(m.ts / 1000)) : `${iso.slice(0, 10)} ${iso.slice(11, 19)} GMT`,
      LONGITUDE: raw ? Math.round(m.lon * 600_000) : m.lon,
      LATITUDE: raw ? Math.round(m.lat * 600_000) : m.lat,
      COG: m.cog === null ? (raw ? 3600 : 360) : raw ? Math.round(m.cog * 10) : m.cog,
      SOG: m.sog === null ? (raw ? 1023 : 102.3) : raw ? Math.round(m.sog * 10) : m.sog,
      HEADING: m.heading ?? 511,
      ROT: 128,
      NAVSTAT: m.navStatus ?? 15,
      IMO: s?.imo ?? 0,
      NAME: s?.name ?? '',
      CALLSIGN: s?.callsign ?? '',
      TYPE: s?.shipType ?? 0,
      A: s?.toBow ?? 0,
      B: s?.toStern ?? 0,
      C: s?.toPort ?? 0,
      D: s?.toStarboard ?? 0,
      DRAUGHT: s?.draught === null || s?.draught === undefined ? 0 : raw ? Math.round(s.draught * 10) : s.draught,
      DEST: s?.destination ?? '',
      ETA: raw ? 1596 : '00-00 24:60',
    };
  }
}

/** The whole-document answer of the AISHub web service around record lines from AishubWriter. */
export function aishubDocument(recordLines: readonly string[], units: 0 | 1): string {
  const head = { ERROR: false, USERNAME: 'AISCTL', FORMAT: units === 0 ? 'AIS' : 'HUMAN', RECORDS: recordLines.length };
  return `[${JSON.stringify(head)},[${recordLines.join(',')}]]`;
}
