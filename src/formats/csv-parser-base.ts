/**
 * Line-to-record assembly shared by the CSV formats: quoted fields spanning lines are joined
 * (bounded) unless the format keeps every record on one line, the header row is handed to the
 * format, and every later row is checked against the header's width before the format reads it
 * by column name.
 */
import type { Origin } from '../normalize/message.js';
import { rejectedOutcome } from '../normalize/normalize-outcome.js';
import { splitCsvRecord } from './csv-record.js';
import type { OutcomeSink, ParserOptions, RecordParser } from './record-parser.js';

/** A quoted field open for longer than this is a broken quote, not a long field. */
const MAX_RECORD_LINES = 32;
const MAX_RECORD_CHARS = 64 * 1024;

export interface CsvLayout {
  /**
   * True for formats whose fields never hold a line break (NOAA, DMA): an open quote at the end
   * of a line is then that line's fault, and joining would swallow the records after it.
   */
  readonly oneLinePerRecord: boolean;
}

export abstract class CsvParserBase implements RecordParser {
  private pending: string | null = null;
  private pendingLine = 0;
  private pendingLines = 0;
  protected headerWidth = 0;

  constructor(
    protected readonly opts: ParserOptions,
    private readonly layout: CsvLayout = { oneLinePerRecord: false },
  ) {}

  /** Reads a header row; returns false when the row is not this format's header. */
  protected abstract acceptHeader(fields: string[], origin: Origin, emit: OutcomeSink): boolean;
  protected abstract expectedHeader(): string;
  protected abstract parseRow(fields: string[], origin: Origin, nowMs: number, emit: OutcomeSink): void;

  parseLine(line: string, lineNo: number, nowMs: number, emit: OutcomeSink): void {
    let text = line;
    let start = lineNo;
    if (this.pending !== null) {
      text = `${this.pending}\n${line}`;
      start = this.pendingLine;
    } else if (line.trim() === '') {
      return;
    }
    const split = splitCsvRecord(text);
    const origin: Origin = { file: this.opts.file, line: start };
    if (!split.complete && this.layout.oneLinePerRecord) {
      emit(rejectedOutcome({ reason: 'malformed_record', detail: 'unterminated quote (a record is one line in this format)', origin }));
      return;
    }
    if (!split.complete) {
      this.pendingLines = this.pending === null ? 1 : this.pendingLines + 1;
      if (this.pendingLines > MAX_RECORD_LINES || text.length > MAX_RECORD_CHARS) {
        this.pending = null;
        emit(rejectedOutcome({ reason: 'malformed_record', detail: `unterminated quoted field (over ${MAX_RECORD_LINES} lines)`, origin }));
        return;
      }
      this.pending = text;
      this.pendingLine = start;
      return;
    }
    this.pending = null;
    const fields = split.fields;
    if (this.headerWidth === 0) {
      if (this.acceptHeader(fields, origin, emit)) {
        this.headerWidth = fields.length;
      } else {
        emit(rejectedOutcome({ reason: 'malformed_record', detail: `expected a header row (${this.expectedHeader()}) before data`, origin }));
      }
      return;
    }
    if (fields.length !== this.headerWidth) {
      emit(rejectedOutcome({ reason: 'malformed_record', detail: `row has ${fields.length} fields, header has ${this.headerWidth}`, origin }));
      return;
    }
    this.parseRow(fields, origin, nowMs, emit);
  }

  finish(_nowMs: number, emit: OutcomeSink): void {
    if (this.pending !== null) {
      emit(
        rejectedOutcome({
          reason: 'malformed_record',
          detail: 'unterminated quoted field at end of input',
          origin: { file: this.opts.file, line: this.pendingLine },
        }),
      );
      this.pending = null;
    }
  }
}

/** Column positions by canonical name, -1 when the header lacks the column. */
export function columnIndex<K extends string>(header: string[], canonical: (name: string) => K | null): Map<K, number> {
  const map = new Map<K, number>();
  header.forEach((name, i) => {
    const key = canonical(name);
    if (key !== null && !map.has(key)) map.set(key, i);
  });
  return map;
}
