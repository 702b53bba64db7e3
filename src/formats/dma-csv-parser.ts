/**
 * Danish Maritime Authority `aisdk-*.csv`: header `# Timestamp,Type of mobile,MMSI,Latitude,
 * Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,
 * Length,Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D`,
 * timestamps `dd/mm/yyyy HH:MM:SS` in UTC. Base stations and AtoNs are ignored; A/B/C/D are the
 * distances to bow, stern, port and starboard.
 */
import type { Origin } from '../normalize/message.js';
import { buildPosition, buildStatic, combineRecord } from '../normalize/report-builder.js';
import { ignoredOutcome, rejectedOutcome } from '../normalize/normalize-outcome.js';
import { parseDmaTime, parseIsoTime } from '../normalize/time.js';
import { CsvParserBase, columnIndex } from './csv-parser-base.js';
import { FieldProblems, csvNumber, csvString } from './field-reader.js';
import { DMA_NON_VESSEL_MOBILES, dmaNavStatus, dmaShipType } from './dma-vocabulary.js';
import type { OutcomeSink, ParserOptions } from './record-parser.js';

const COLUMNS = [
  'timestamp',
  'type of mobile',
  'mmsi',
  'latitude',
  'longitude',
  'navigational status',
  'rot',
  'sog',
  'cog',
  'heading',
  'imo',
  'callsign',
  'name',
  'ship type',
  'cargo type',
  'width',
  'length',
  'type of position fixing device',
  'draught',
  'destination',
  'eta',
  'data source type',
  'a',
  'b',
  'c',
  'd',
] as const;
type DmaColumn = (typeof COLUMNS)[number];

const REQUIRED: readonly DmaColumn[] = ['timestamp', 'mmsi', 'latitude', 'longitude'];

function canonical(name: string): DmaColumn | null {
  const key = name.replace(/^#\s*/, '').trim().toLowerCase();
  return (COLUMNS as readonly string[]).includes(key) ? (key as DmaColumn) : null;
}

/** DMA documents decimal commas ("57,8794"); the files use points, but accept both. */
function dmaNumberCell(cell: string | undefined): string | undefined {
  return cell === undefined || cell.indexOf(',') < 0 ? cell : cell.replace(',', '.');
}

export class DmaCsvParser extends CsvParserBase {
  private cols = new Map<DmaColumn, number>();
  private missing: DmaColumn[] = [];
  private header: string[] = [];

  constructor(opts: ParserOptions) {
    super(opts, { oneLinePerRecord: true });
  }

  protected expectedHeader(): string {
    return '# Timestamp,Type of mobile,MMSI,Latitude,Longitude,...';
  }

  protected acceptHeader(fields: string[]): boolean {
    if (canonical(fields[0] ?? '') !== 'timestamp' || !fields.some((f) => canonical(f) === 'mmsi')) return false;
    this.header = fields.map((f) => f.replace(/^#\s*/, '').trim());
    this.cols = columnIndex(fields, canonical);
    this.missing = REQUIRED.filter((c) => !this.cols.has(c));
    return true;
  }

  private cell(fields: string[], c: DmaColumn): string | undefined {
    const i = this.cols.get(c);
    return i === undefined ? undefined : fields[i];
  }

  private label(c: DmaColumn): string {
    const i = this.cols.get(c);
    return i === undefined ? c : (this.header[i] ?? c);
  }

  // A method rather than a closure made per row: under tsx/esbuild (keepNames) every closure
  // created per row also pays a defineProperty, which cost more than parsing the row.
  private num(fields: string[], p: FieldProblems, c: DmaColumn, required = false, integer = false): number | null {
    return csvNumber(dmaNumberCell(this.cell(fields, c)), this.label(c), p, required, integer);
  }

  protected parseRow(fields: string[], origin: Origin, nowMs: number, emit: OutcomeSink): void {
    if (this.missing.length > 0) {
      emit(rejectedOutcome({ reason: 'missing_field', detail: `header has no ${this.missing.join(', ')} column`, origin }));
      return;
    }
    const mobile = csvString(this.cell(fields, 'type of mobile'));
    const skip = mobile === null ? undefined : DMA_NON_VESSEL_MOBILES.get(mobile.toLowerCase());
    if (skip !== undefined) {
      emit(ignoredOutcome(skip));
      return;
    }
    const p = new FieldProblems();
    const mmsi = this.num(fields, p, 'mmsi', true, true);
    const timeText = csvString(this.cell(fields, 'timestamp'));
    if (timeText === null) p.missing(this.label('timestamp'));
    const lat = this.num(fields, p, 'latitude', true);
    const lon = this.num(fields, p, 'longitude', true);
    const sog = this.num(fields, p, 'sog');
    const cog = this.num(fields, p, 'cog');
    const heading = this.num(fields, p, 'heading');
    const width = this.num(fields, p, 'width');
    const length = this.num(fields, p, 'length');
    const draught = this.num(fields, p, 'draught');
    const a = this.num(fields, p, 'a');
    const b = this.num(fields, p, 'b');
    const c = this.num(fields, p, 'c');
    const d = this.num(fields, p, 'd');
    const imoCell = this.cell(fields, 'imo');
    const imo = imoCell !== undefined && imoCell.trim().toLowerCase() === 'unknown' ? null : this.num(fields, p, 'imo', false, true);
    const problem = p.toRejection(origin);
    if (problem !== null) {
      emit(rejectedOutcome(problem));
      return;
    }
    // DMA's own format first; ISO as a courtesy for re-exported files.
    let ts = parseDmaTime(timeText as string);
    if (Number.isNaN(ts)) ts = parseIsoTime(timeText as string);
    if (Number.isNaN(ts)) {
      emit(rejectedOutcome({ reason: 'bad_time', detail: `${this.label('timestamp')} ${JSON.stringify(timeText)} is not a valid time`, origin }));
      return;
    }
    const source = this.opts.source ?? 'dma';
    const ctx = { nowMs, maxFutureMs: this.opts.maxFutureMs };
    const navStatus = dmaNavStatus(csvString(this.cell(fields, 'navigational status')));
    // Explicit literals, no spreads: see buildStatic on V8 dictionary objects.
    const pos = buildPosition({ mmsi: mmsi as number, ts, msgType: 0, source, lat, lon, sog, cog, heading, navStatus }, origin, ctx);
    const st = buildStatic(
      {
        mmsi: mmsi as number,
        ts,
        msgType: 0,
        source,
        name: csvString(this.cell(fields, 'name')),
        callsign: csvString(this.cell(fields, 'callsign')),
        imo,
        shipType: dmaShipType(csvString(this.cell(fields, 'ship type'))),
        toBow: a,
        toStern: b,
        toPort: c,
        toStarboard: d,
        draught,
        destination: csvString(this.cell(fields, 'destination')),
        length,
        width,
      },
      origin,
      ctx,
    );
    emit(combineRecord(pos, st));
  }
}
