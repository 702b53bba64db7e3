/**
 * NOAA MarineCadastre CSV, both layouts, read by header names:
 *  - 2015-2023: `MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,
 *    Status,Length,Width,Draft,Cargo,TransceiverClass`, `2023-01-11T00:00:00`;
 *  - 2024+ (csv2): `mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,
 *    call_sign,vessel_type,status,length,width,draft,cargo,transceiver` (longitude before
 *    latitude), `2024-01-01 00:00:00`.
 * Times carry no zone and are UTC. Sentinels 511 / 360 / 102.3 / 91 / 181 become null. Each row
 * yields a position and, when it has static columns filled, a static report.
 */
import type { Origin } from '../normalize/message.js';
import { buildPosition, buildStatic, combineRecord } from '../normalize/report-builder.js';
import { rejectedOutcome } from '../normalize/normalize-outcome.js';
import { parseIsoTime } from '../normalize/time.js';
import { CsvParserBase, columnIndex } from './csv-parser-base.js';
import { FieldProblems, csvNumber, csvString } from './field-reader.js';
import type { OutcomeSink, ParserOptions } from './record-parser.js';

type NoaaColumn =
  | 'mmsi'
  | 'time'
  | 'lat'
  | 'lon'
  | 'sog'
  | 'cog'
  | 'heading'
  | 'name'
  | 'imo'
  | 'callsign'
  | 'vesselType'
  | 'status'
  | 'length'
  | 'width'
  | 'draft'
  | 'cargo'
  | 'transceiver';

const ALIASES: Readonly<Record<string, NoaaColumn>> = {
  mmsi: 'mmsi',
  basedatetime: 'time',
  lat: 'lat',
  latitude: 'lat',
  lon: 'lon',
  longitude: 'lon',
  sog: 'sog',
  cog: 'cog',
  heading: 'heading',
  vesselname: 'name',
  imo: 'imo',
  callsign: 'callsign',
  vesseltype: 'vesselType',
  status: 'status',
  length: 'length',
  width: 'width',
  draft: 'draft',
  cargo: 'cargo',
  transceiverclass: 'transceiver',
  transceiver: 'transceiver',
};

const REQUIRED: readonly NoaaColumn[] = ['mmsi', 'time', 'lat', 'lon'];

function canonical(name: string): NoaaColumn | null {
  return (
    ALIASES[
      name
        .trim()
        .toLowerCase()
        .replace(/[^a-z]/g, '')
    ] ?? null
  );
}

/** `IMO9307839` (MarineCadastre) or a bare number; anything else is malformed. */
function imoNumber(cell: string | undefined, column: string, p: FieldProblems): number | null {
  const t = csvString(cell);
  if (t === null) return null;
  const digits = /^(?:IMO)?\s*(\d+)(?:\.0+)?$/i.exec(t);
  if (digits === null) p.malformed(column, `not an IMO number: ${JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}...` : t)}`);
  return digits === null ? null : Number(digits[1]);
}

export class NoaaCsvParser extends CsvParserBase {
  private cols = new Map<NoaaColumn, number>();
  private missing: NoaaColumn[] = [];
  private header: string[] = [];

  constructor(opts: ParserOptions) {
    super(opts, { oneLinePerRecord: true });
  }

  protected expectedHeader(): string {
    return 'MMSI,BaseDateTime,LAT,LON,... or mmsi,base_date_time,longitude,latitude,...';
  }

  protected acceptHeader(fields: string[]): boolean {
    if (fields.every((f) => canonical(f) === null) || canonical(fields[0] ?? '') !== 'mmsi') return false;
    this.header = fields.map((f) => f.trim());
    this.cols = columnIndex(fields, canonical);
    this.missing = REQUIRED.filter((c) => !this.cols.has(c));
    return true;
  }

  private cell(fields: string[], c: NoaaColumn): string | undefined {
    const i = this.cols.get(c);
    return i === undefined ? undefined : fields[i];
  }

  private name(c: NoaaColumn): string {
    const i = this.cols.get(c);
    return i === undefined ? c : (this.header[i] ?? c);
  }

  // A method rather than a closure made per row: under tsx/esbuild (keepNames) every closure
  // created per row also pays a defineProperty, which cost more than parsing the row.
  private num(fields: string[], p: FieldProblems, c: NoaaColumn, required = false, integer = false): number | null {
    return csvNumber(this.cell(fields, c), this.name(c), p, required, integer);
  }

  protected parseRow(fields: string[], origin: Origin, nowMs: number, emit: OutcomeSink): void {
    if (this.missing.length > 0) {
      emit(rejectedOutcome({ reason: 'missing_field', detail: `header has no ${this.missing.join(', ')} column`, origin }));
      return;
    }
    const p = new FieldProblems();
    const mmsi = this.num(fields, p, 'mmsi', true, true);
    const timeText = csvString(this.cell(fields, 'time'));
    if (timeText === null) p.missing(this.name('time'));
    const lat = this.num(fields, p, 'lat', true);
    const lon = this.num(fields, p, 'lon', true);
    const sog = this.num(fields, p, 'sog');
    const cog = this.num(fields, p, 'cog');
    const heading = this.num(fields, p, 'heading');
    const status = this.num(fields, p, 'status', false, true);
    const shipType = this.num(fields, p, 'vesselType', false, true);
    const length = this.num(fields, p, 'length');
    const width = this.num(fields, p, 'width');
    const draught = this.num(fields, p, 'draft');
    const imo = imoNumber(this.cell(fields, 'imo'), this.name('imo'), p);
    const problem = p.toRejection(origin);
    if (problem !== null) {
      emit(rejectedOutcome(problem));
      return;
    }
    const ts = parseIsoTime(timeText as string);
    if (Number.isNaN(ts)) {
      emit(rejectedOutcome({ reason: 'bad_time', detail: `${this.name('time')} ${JSON.stringify(timeText)} is not a valid time`, origin }));
      return;
    }
    const source = this.opts.source ?? 'marinecadastre';
    const ctx = { nowMs, maxFutureMs: this.opts.maxFutureMs };
    // Explicit literals, no spreads: see buildStatic on V8 dictionary objects.
    const pos = buildPosition({ mmsi: mmsi as number, ts, msgType: 0, source, lat, lon, sog, cog, heading, navStatus: status }, origin, ctx);
    const st = buildStatic(
      {
        mmsi: mmsi as number,
        ts,
        msgType: 0,
        source,
        name: csvString(this.cell(fields, 'name')),
        callsign: csvString(this.cell(fields, 'callsign')),
        imo,
        shipType,
        toBow: null,
        toStern: null,
        toPort: null,
        toStarboard: null,
        draught,
        destination: null,
        length,
        width,
      },
      origin,
      ctx,
    );
    emit(combineRecord(pos, st));
  }
}
