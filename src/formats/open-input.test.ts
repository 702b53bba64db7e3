import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openInput, type InputLine, type OpenInputOptions } from './open-input.js';

const dir = mkdtempSync(join(tmpdir(), 'aisctl-open-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lines(path: string, stdin?: Readable, opts?: OpenInputOptions): Promise<InputLine[]> {
  const input = await openInput(path, stdin, opts);
  const out: InputLine[] = [];
  for await (const l of input) out.push(l);
  return out;
}

describe('openInput', () => {
  it('numbers lines, strips CR, keeps blank lines and a final line without newline', async () => {
    const p = join(dir, 'crlf.txt');
    writeFileSync(p, 'a\r\nb\r\n\r\nc');
    expect(await lines(p)).toEqual([
      { line: 'a', lineNo: 1 },
      { line: 'b', lineNo: 2 },
      // The last line the first read delivered; 'c' only ends with the input.
      { line: '', lineNo: 3, chunkEnd: true },
      { line: 'c', lineNo: 4 },
    ]);
  });

  it('marks the last line of each delivery, so a live stream is not held for more input', async () => {
    const stdin = new PassThrough();
    const input = await openInput('-', stdin);
    const it = input[Symbol.asyncIterator]();
    stdin.write('one\ntwo\nthr');
    expect(await it.next()).toEqual({ done: false, value: { line: 'one', lineNo: 1 } });
    expect(await it.next()).toEqual({ done: false, value: { line: 'two', lineNo: 2, chunkEnd: true } });
    // Nothing more is written until the consumer has seen the end of the first delivery.
    stdin.end('ee\n');
    expect(await it.next()).toEqual({ done: false, value: { line: 'three', lineNo: 3, chunkEnd: true } });
    expect((await it.next()).done).toBe(true);
  });

  it('hands out the lines of each read as one array, the final unterminated line last', async () => {
    const stdin = new PassThrough();
    const input = await openInput('-', stdin);
    const reads = input.chunks()[Symbol.asyncIterator]();
    stdin.write('one\ntwo\nthr');
    expect((await reads.next()).value).toEqual([
      { line: 'one', lineNo: 1 },
      { line: 'two', lineNo: 2 },
    ]);
    stdin.write('ee\nfour\n');
    expect((await reads.next()).value).toEqual([
      { line: 'three', lineNo: 3 },
      { line: 'four', lineNo: 4 },
    ]);
    stdin.end('five');
    expect((await reads.next()).value).toEqual([{ line: 'five', lineNo: 5 }]);
    expect((await reads.next()).done).toBe(true);
  });

  it('gunzips by extension and by magic bytes, and reports compressed progress', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`).join('\n') + '\n';
    const gz = gzipSync(body);
    const named = join(dir, 'feed.nmea.gz');
    const unnamed = join(dir, 'feed.bin');
    writeFileSync(named, gz);
    writeFileSync(unnamed, gz);
    for (const p of [named, unnamed]) {
      const input = await openInput(p);
      const got: string[] = [];
      for await (const l of input) got.push(l.line);
      expect(got).toHaveLength(5000);
      expect(got[4999]).toBe(`line 4999 ${'x'.repeat(4999 % 50)}`);
      expect(input.gzip).toBe(true);
      expect(input.totalBytes).toBe(gz.length);
      expect(input.bytesRead).toBe(gz.length);
    }
  });

  it('decodes UTF-8 split across chunk boundaries', async () => {
    const p = join(dir, 'utf8.txt');
    const text = 'ÆØÅ 😀 '.repeat(100_000);
    writeFileSync(p, `${text}\nnext\n`);
    // One line over many chunks, so above the default cap.
    const got = await lines(p, undefined, { maxLineLength: 1 << 20 });
    expect(got.map((l) => l.line)).toEqual([text, 'next']);
  });

  it('reads stdin for "-" with unknown total size', async () => {
    const stdin = Readable.from([Buffer.from('one\ntw'), Buffer.from('o\n')]);
    const input = await openInput('-', stdin);
    const got: string[] = [];
    for await (const l of input) got.push(l.line);
    expect(got).toEqual(['one', 'two']);
    expect(input.totalBytes).toBeNull();
    expect(input.bytesRead).toBe(8);
  });

  it('fails with the path for a missing file and for corrupt gzip', async () => {
    await expect(openInput(join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv/);
    const bad = join(dir, 'bad.gz');
    writeFileSync(bad, Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5]));
    await expect(lines(bad)).rejects.toThrow();
  });

  it('recognises gzip whose first delivery is a single byte', async () => {
    const gz = gzipSync('one\ntwo\n');
    const stdin = new PassThrough();
    const got = lines('-', stdin);
    stdin.write(gz.subarray(0, 1));
    await new Promise((r) => setImmediate(r));
    stdin.end(gz.subarray(1));
    expect((await got).map((l) => l.line)).toEqual(['one', 'two']);
  });

  it('fails (does not hang) on input that starts like gzip but is not, in many chunks', async () => {
    const notGzip = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(2 * 1024 * 1024, 0x41)]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < notGzip.length; i += 16 * 1024) chunks.push(notGzip.subarray(i, i + 16 * 1024));
    await expect(lines('-', Readable.from(chunks))).rejects.toThrow(/compression method|header check|incorrect/i);
  });
});
