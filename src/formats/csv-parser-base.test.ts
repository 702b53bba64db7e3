import { describe, expect, it } from 'vitest';
import type { Origin } from '../normalize/message.js';
import { emptyOutcome, type NormalizeOutcome } from '../normalize/normalize-outcome.js';
import { CsvParserBase, type CsvLayout } from './csv-parser-base.js';

/** Records each row it is handed, so the tests see how lines became records. */
class RowsParser extends CsvParserBase {
  readonly rows: Array<[number, string[]]> = [];

  constructor(layout?: CsvLayout) {
    super({ file: 'f.csv', maxFutureMs: 0 }, layout);
  }

  protected acceptHeader(fields: string[]): boolean {
    return fields[0] === 'a';
  }

  protected expectedHeader(): string {
    return 'a,b';
  }

  protected parseRow(fields: string[], origin: Origin, _nowMs: number, emit: (o: NormalizeOutcome) => void): void {
    this.rows.push([origin.line, fields]);
    emit(emptyOutcome());
  }
}

function run(parser: RowsParser, lines: string[]) {
  const outcomes: NormalizeOutcome[] = [];
  lines.forEach((l, i) => parser.parseLine(l, i + 1, 0, (o) => outcomes.push(o)));
  parser.finish(0, (o) => outcomes.push(o));
  return { rows: parser.rows, rejections: outcomes.flatMap((o) => (o.rejection === null ? [] : [[o.rejection.origin.line, o.rejection.detail]])) };
}

const lines = ['a,b', '1,"open', 'x"', '3,4'];

describe('CsvParserBase', () => {
  it('joins a quoted field across lines by default', () => {
    expect(run(new RowsParser(), lines)).toEqual({
      rows: [
        [2, ['1', 'open\nx']],
        [4, ['3', '4']],
      ],
      rejections: [],
    });
  });

  it('with oneLinePerRecord, an open quote rejects its own line and the next line is a record of its own', () => {
    expect(run(new RowsParser({ oneLinePerRecord: true }), lines)).toEqual({
      rows: [[4, ['3', '4']]],
      rejections: [
        [2, 'unterminated quote (a record is one line in this format)'],
        [3, 'row has 1 fields, header has 2'],
      ],
    });
  });
});
