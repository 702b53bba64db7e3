import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_MAX_LINE_LENGTH, LineSplitter, type SplitLine } from './line-splitter.js';

/** Feeds `chunks` one by one, checking the bound after each, then ends the input. */
function split(chunks: readonly string[], cap?: number): SplitLine[] {
  const s = new LineSplitter(cap);
  const out: SplitLine[] = [];
  for (const c of chunks) {
    out.push(...s.push(c));
    expect(s.buffered).toBeLessThanOrEqual(s.maxLineLength);
  }
  out.push(...s.end());
  return out;
}

/** Every way to cut `text` in two and in three pieces. */
function cuts(text: string): string[][] {
  const out: string[][] = [[text]];
  for (let i = 0; i <= text.length; i++) {
    out.push([text.slice(0, i), text.slice(i)]);
    for (let j = i; j <= text.length; j++) out.push([text.slice(0, i), text.slice(i, j), text.slice(j)]);
  }
  return out;
}

const numbered = (lines: readonly string[]): SplitLine[] => lines.map((line, i) => ({ line, lineNo: i + 1 }));

describe('LineSplitter', () => {
  it('gives the same lines wherever the chunks are cut, inside CRLF included', () => {
    const text = 'ab\r\n\r\nc\n\nd\re\r\nf';
    const want = numbered(['ab', '', 'c', '', 'd\re', 'f']);
    for (const chunks of cuts(text)) expect(split(chunks), JSON.stringify(chunks)).toEqual(want);
  });

  it('keeps empty lines, and a final line without newline; a final newline adds no line', () => {
    expect(split(['\n\n'])).toEqual(numbered(['', '']));
    expect(split(['x\n'])).toEqual(numbered(['x']));
    expect(split(['x\ny'])).toEqual(numbered(['x', 'y']));
    expect(split([''])).toEqual([]);
    expect(split([])).toEqual([]);
  });

  it('strips a final CR at the end of input as it would before LF', () => {
    expect(split(['a\r'])).toEqual(numbered(['a']));
    expect(split(['a', '\r'])).toEqual(numbered(['a']));
    expect(split(['\r'])).toEqual(numbered(['']));
  });

  it('a line of exactly the cap is kept, with or without CR, however it is cut', () => {
    const cap = 8;
    const line = '12345678';
    for (const text of [`${line}\nz\n`, `${line}\r\nz\r\n`, `${line}\r`]) {
      const want = text.endsWith('\r') ? numbered([line]) : numbered([line, 'z']);
      for (const chunks of cuts(text)) expect(split(chunks, cap), JSON.stringify(chunks)).toEqual(want);
    }
  });

  it('a line one over the cap is too long, counting a CR that is not before LF', () => {
    const cap = 8;
    for (const text of ['123456789\nz\n', '123456789\r\nz\n', '12345678\rx\nz\n', '12345678\r\r\nz\n']) {
      const length = text.indexOf('\n') - (text[text.indexOf('\n') - 1] === '\r' ? 1 : 0);
      for (const chunks of cuts(text)) {
        expect(split(chunks, cap), JSON.stringify(chunks)).toEqual([
          { line: '', lineNo: 1, tooLong: length },
          { line: 'z', lineNo: 2 },
        ]);
      }
    }
  });

  it('an over-long line in the middle keeps the numbering of the lines after it', () => {
    const long = 'x'.repeat(1000);
    const chunks = ['a\nb', long.slice(0, 3), long.slice(3, 500), long.slice(500), '\r\nc\n'];
    expect(split(chunks, 100)).toEqual([
      { line: 'a', lineNo: 1 },
      { line: '', lineNo: 2, tooLong: 1001 },
      { line: 'c', lineNo: 3 },
    ]);
    // Whole in one chunk as well.
    expect(split([`a\n${long}\nc\n`], 100)).toEqual([
      { line: 'a', lineNo: 1 },
      { line: '', lineNo: 2, tooLong: 1000 },
      { line: 'c', lineNo: 3 },
    ]);
  });

  it('an over-long line at the end of input is reported by end()', () => {
    const s = new LineSplitter(10);
    expect(s.push('ok\n')).toEqual(numbered(['ok']));
    for (let i = 0; i < 100; i++) {
      expect(s.push('y'.repeat(7))).toEqual([]);
      expect(s.buffered).toBeLessThanOrEqual(10);
    }
    expect(s.end()).toEqual([{ line: '', lineNo: 2, tooLong: 700 }]);
    expect(s.end()).toEqual([]);
  });

  it('holds no characters of a line once it is over the cap', () => {
    const s = new LineSplitter(DEFAULT_MAX_LINE_LENGTH);
    s.push('z'.repeat(DEFAULT_MAX_LINE_LENGTH));
    expect(s.buffered).toBe(DEFAULT_MAX_LINE_LENGTH);
    s.push('\r');
    expect(s.buffered).toBe(DEFAULT_MAX_LINE_LENGTH);
    s.push('z');
    expect(s.buffered).toBe(0);
    expect(s.push('\n')).toEqual([{ line: '', lineNo: 1, tooLong: DEFAULT_MAX_LINE_LENGTH + 2 }]);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new LineSplitter(0)).toThrow(RangeError);
    expect(() => new LineSplitter(1.5)).toThrow(RangeError);
  });

  it('splitting random text at random points gives the lines of text.split(/\\r?\\n/)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\r', '\n', 'é', '😀'), maxLength: 200 });
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 12 }), (t, points) => {
        const at = [...new Set(points.map((p) => p % (t.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of at) {
          chunks.push(t.slice(prev, p));
          prev = p;
        }
        chunks.push(t.slice(prev));
        const want = t.split(/\r?\n/);
        // A final newline ends the last line rather than starting an empty one.
        if (want[want.length - 1] === '') want.pop();
        else want[want.length - 1] = (want[want.length - 1] as string).replace(/\r$/, '');
        expect(split(chunks, 1000)).toEqual(numbered(want));
      }),
      { numRuns: 2000 },
    );
  });
});
