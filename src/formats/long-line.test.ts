/**
 * A line without newline far longer than any record (a broken feed, a binary file, a small .gz
 * inflating to one huge line) is read in linear time and bounded memory, rejected as
 * `line_too_long`, and the lines after it are still read with their own numbers.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Rejection } from '../normalize/message.js';
import { DEFAULT_MAX_LINE_LENGTH } from './line-splitter.js';
import { openInput, type InputLine, type InputSource } from './open-input.js';
import { readMessages } from './read-messages.js';

const dir = mkdtempSync(join(tmpdir(), 'aisctl-long-line-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');
const AFTER = [
  '!AIVDM,1,1,,A,13=??l002V0CLq>NL=>FemH00VbI,0*1B',
  '!AIVDM,1,1,,B,17m03b1002PDqMjMm5=`po821qi5,0*2F',
  '!AIVDM,1,1,,A,15MIeaP03f0G:D:MuacivAV40eOi,0*51',
];

/**
 * `bytes` of 'x' with no newline, then the NMEA lines, one shared chunk at a time so the test
 * itself holds no big string. `onChunk` runs before each chunk is handed over.
 */
function longLineThenNmea(bytes: number, onChunk: () => void = () => undefined): Readable {
  return Readable.from(
    (function* () {
      for (let left = bytes; left > 0; left -= CHUNK.length) {
        onChunk();
        yield left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      }
      yield Buffer.from(`\n${AFTER.join('\r\n')}\n`);
    })(),
  );
}

describe('a 200 MB line without newline', () => {
  const SIZE = 200 * MB;

  it('is one too-long line 1, held to the cap while read, and the lines after it keep their numbers', async () => {
    let input: InputSource | null = null;
    let mostBuffered = 0;
    let chunks = 0;
    const stdin = longLineThenNmea(SIZE, () => {
      chunks++;
      if (input !== null) mostBuffered = Math.max(mostBuffered, input.buffered);
    });
    input = await openInput('-', stdin);
    const got: InputLine[] = [];
    for await (const { chunkEnd: _end, ...l } of input) got.push(l);
    expect(chunks).toBe(SIZE / CHUNK.length);
    expect(mostBuffered).toBeGreaterThan(0);
    expect(mostBuffered).toBeLessThanOrEqual(DEFAULT_MAX_LINE_LENGTH);
    expect(got).toEqual([{ line: '', lineNo: 1, tooLong: SIZE }, ...AFTER.map((line, i) => ({ line, lineNo: i + 2 }))]);
  });

  it('is rejected as line_too_long at line 1, not parsed, and the NMEA after it is read', async () => {
    const rejections: Rejection[] = [];
    const reader = readMessages('-', {
      stdin: longLineThenNmea(SIZE),
      nowMs: () => Date.UTC(2026, 0, 1),
      maxFutureMs: 300_000,
      onRejection: (r) => rejections.push(r),
    });
    const lines: number[] = [];
    for await (const batch of reader) for (const m of batch) lines.push(m.origin.line);
    expect(rejections).toEqual([
      {
        reason: 'line_too_long',
        detail: `line of ${SIZE} characters is over the 65536-character limit (--max-line-length)`,
        origin: { file: '-', line: 1 },
      },
    ]);
    // Format detection skipped the long line and found the NMEA.
    expect(reader.stats.format).toBe('nmea');
    expect(reader.stats.lines).toBe(4);
    expect(reader.stats.rejectedTotal).toBe(1);
    expect(reader.stats.rejected).toEqual({ line_too_long: 1 });
    expect(reader.stats.decode?.lines).toBe(3);
    expect([...new Set(lines)]).toEqual([2, 3, 4]);
  });
});

describe('maxLineLength', () => {
  it('a small .gz inflating to a 100 MB line is read the same way', async () => {
    const gz = join(dir, 'bomb.nmea.gz');
    await pipeline(longLineThenNmea(100 * MB), createGzip(), createWriteStream(gz));
    expect(statSync(gz).size).toBeLessThan(MB);
    const input = await openInput(gz);
    const got: InputLine[] = [];
    for await (const l of input) {
      got.push(l);
      expect(input.buffered).toBeLessThanOrEqual(DEFAULT_MAX_LINE_LENGTH);
    }
    expect(input.gzip).toBe(true);
    expect(got.map((l) => [l.lineNo, l.tooLong ?? l.line])).toEqual([[1, 100 * MB], ...AFTER.map((line, i) => [i + 2, line])]);
  });

  it('is the option of readMessages: a line over it is rejected, one at it is parsed', async () => {
    const line = AFTER[0] as string;
    const rejections: Rejection[] = [];
    const reader = readMessages('-', {
      stdin: Readable.from([Buffer.from(`${line}\n${line}X\n`)]),
      format: 'nmea',
      maxLineLength: line.length,
      nowMs: () => Date.UTC(2026, 0, 1),
      maxFutureMs: 300_000,
      onRejection: (r) => rejections.push(r),
    });
    let messages = 0;
    for await (const batch of reader) messages += batch.length;
    expect(messages).toBe(1);
    expect(rejections.map((r) => [r.reason, r.origin.line, r.detail])).toEqual([
      ['line_too_long', 2, `line of ${line.length + 1} characters is over the ${line.length}-character limit (--max-line-length)`],
    ]);
    expect(reader.stats.lines).toBe(2);
  });
});
