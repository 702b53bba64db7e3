/**
 * Line formats of `aisctl track`: a fixed-width table for people (widths fixed in advance,
 * because rows are printed as they arrive), plain CSV for pandas and spreadsheets, and aisctl
 * JSONL (the format `aisctl ingest` reads back). GeoJSON has its own writer
 * (formats/writers/geojson-track-writer.ts).
 */
import { csvField } from '../formats/csv-record.js';
import { JsonlWriter } from '../formats/writers/jsonl-writer.js';
import type { PositionReport } from '../normalize/message.js';
import type { StoredPosition } from '../store/postgres/vessel-queries.js';
import { formatNumber } from './print-table.js';

export const TRACK_FORMATS = ['table', 'jsonl', 'csv', 'geojson'] as const;
export type TrackFormat = (typeof TRACK_FORMATS)[number];

/** The message a stored row stands for. The AIS message type is not stored: 0, as for feeds without one. */
export function positionReport(
  mmsi: number,
  p: Pick<StoredPosition, 'ts' | 'lat' | 'lon' | 'sog' | 'cog' | 'heading' | 'navStatus' | 'source'>,
  file: string,
): PositionReport {
  return {
    kind: 'position',
    mmsi,
    ts: p.ts,
    lat: p.lat,
    lon: p.lon,
    sog: p.sog,
    cog: p.cog,
    heading: p.heading,
    navStatus: p.navStatus,
    source: p.source,
    msgType: 0,
    origin: { file, line: 0 },
  };
}

const TABLE_COLUMNS: readonly { header: string; width: number; right: boolean }[] = [
  { header: 'TIME (UTC)', width: 24, right: false },
  { header: 'LAT', width: 9, right: true },
  { header: 'LON', width: 10, right: true },
  { header: 'SOG', width: 5, right: true },
  { header: 'COG', width: 5, right: true },
  { header: 'HDG', width: 3, right: true },
  { header: 'NAV', width: 3, right: true },
  { header: 'SOURCE', width: 0, right: false },
];

function tableLine(cells: readonly string[]): string {
  return TABLE_COLUMNS.map((c, i) => {
    const cell = cells[i] ?? '';
    return c.right ? cell.padStart(c.width) : cell.padEnd(c.width);
  })
    .join('  ')
    .trimEnd();
}

const dash = (v: number | null): string => (v === null ? '-' : String(v));

export class TrackLineFormatter {
  private readonly jsonl = new JsonlWriter();

  constructor(
    private readonly format: Exclude<TrackFormat, 'geojson'>,
    private readonly mmsi: number,
  ) {}

  header(): string | null {
    if (this.format === 'table') return tableLine(TABLE_COLUMNS.map((c) => c.header));
    if (this.format === 'csv') return 'mmsi,time,lat,lon,sog,cog,heading,nav_status,source,score';
    return null;
  }

  line(p: StoredPosition): string {
    switch (this.format) {
      case 'table':
        return tableLine([
          new Date(p.ts).toISOString(),
          p.lat.toFixed(5),
          p.lon.toFixed(5),
          formatNumber(p.sog, 1),
          formatNumber(p.cog, 1),
          dash(p.heading),
          dash(p.navStatus),
          p.source,
        ]);
      case 'csv':
        return [
          this.mmsi,
          new Date(p.ts).toISOString(),
          p.lat,
          p.lon,
          p.sog ?? '',
          p.cog ?? '',
          p.heading ?? '',
          p.navStatus ?? '',
          csvField(p.source),
          p.score,
        ].join(',');
      case 'jsonl':
        return this.jsonl.line(positionReport(this.mmsi, p, 'track'));
    }
  }
}
