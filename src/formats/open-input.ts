/**
 * The I/O edge: a file (or `-` for stdin) as numbered lines, gunzipped when the name ends in
 * .gz or the content starts with the gzip magic bytes. Streams with constant memory, a line
 * longer than `maxLineLength` included (it comes out as `tooLong`, see line-splitter.ts); CRLF
 * and a final line without newline are handled; `bytesRead`/`totalBytes` drive a progress bar
 * (compressed bytes for .gz files, so progress is against the file size on disk).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable, Writable } from 'node:stream';
import { DEFAULT_MAX_LINE_LENGTH, LineSplitter } from './line-splitter.js';

export interface InputLine {
  readonly line: string;
  /** 1-based. */
  readonly lineNo: number;
  /** Set when the line was longer than `maxLineLength`: its length in characters; `line` is then ''. */
  readonly tooLong?: number;
  /**
   * The last line of what the input had delivered so far: a consumer that batches lines should
   * pass its batch on here, so a live stream (a pipe from a receiver, a slow stdin) is not held
   * until more input arrives.
   */
  readonly chunkEnd?: true;
}

export interface OpenInputOptions {
  /** Longest line kept, in characters (default DEFAULT_MAX_LINE_LENGTH). */
  readonly maxLineLength?: number;
}

export interface InputProgress {
  /** Bytes read from the file or stdin so far (compressed bytes for gzip). */
  readonly bytesRead: number;
  /** Size of the file, null for stdin and other streams of unknown length. */
  readonly totalBytes: number | null;
}

export interface InputSource extends AsyncIterable<InputLine>, InputProgress {
  readonly path: string;
  /**
   * The lines of each read as one array (never empty): the fast way to read a file, one `await`
   * per read instead of one per line. The end of each array is where a live stream may pause
   * (what `chunkEnd` marks line by line), so a consumer that batches passes its batch on there.
   * Use either this or the line iterator, once.
   */
  chunks(): AsyncIterable<readonly InputLine[]>;
  readonly gzip: boolean;
  /** Characters held for the line being read: at most `maxLineLength`, however long the line. */
  readonly buffered: number;
  /** Stops reading and releases the file. */
  close(): void;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

export async function openInput(path: string, stdin: Readable = process.stdin, opts: OpenInputOptions = {}): Promise<InputSource> {
  const maxLineLength = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  // Checked before the file is opened, so a bad cap leaks no file handle.
  const splitter = new LineSplitter(maxLineLength);
  const totalBytes = path === '-' ? null : (await stat(path)).size;
  const raw: Readable = path === '-' ? stdin : createReadStream(path, { highWaterMark: 256 * 1024 });
  return new LineSource(path, raw, totalBytes, splitter);
}

class LineSource implements InputSource {
  bytesRead = 0;
  gzip = false;

  constructor(
    readonly path: string,
    private readonly raw: Readable,
    readonly totalBytes: number | null,
    private readonly splitter: LineSplitter,
  ) {}

  get buffered(): number {
    return this.splitter.buffered;
  }

  close(): void {
    if (this.path !== '-') this.raw.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<InputLine> {
    for await (const { lines, delivery } of this.splitReads()) {
      const last = lines.length - 1;
      // for...of rather than yield*: yield* over an array in an async generator wraps every line
      // in an extra promise, measurably slower on plain NMEA files.
      for (let i = 0; i < last; i++) yield lines[i] as InputLine;
      yield delivery ? { ...(lines[last] as InputLine), chunkEnd: true } : (lines[last] as InputLine);
    }
  }

  async *chunks(): AsyncGenerator<readonly InputLine[]> {
    for await (const { lines } of this.splitReads()) yield lines;
  }

  /**
   * Each read's complete lines; `delivery` is false for the lines only the end of the input
   * finished (the final line without newline), which no later read can be waited for.
   */
  private async *splitReads(): AsyncGenerator<{ lines: InputLine[]; delivery: boolean }> {
    const decoder = new TextDecoder('utf-8');
    const splitter = this.splitter;
    let gunzip: ReturnType<typeof createGunzip> | null = null;
    const counted = this.countBytes(this.raw);
    try {
      for await (const chunk of this.decompressed(counted, (g) => (gunzip = g))) {
        const lines = splitter.push(decoder.decode(chunk as Uint8Array, { stream: true }));
        if (lines.length > 0) yield { lines, delivery: true };
      }
      const tail = splitter.push(decoder.decode());
      for (const l of splitter.end()) tail.push(l);
      if (tail.length > 0) yield { lines: tail, delivery: false };
    } finally {
      (gunzip as ReturnType<typeof createGunzip> | null)?.destroy();
      this.close();
    }
  }

  private async *countBytes(src: Readable): AsyncGenerator<Buffer> {
    for await (const chunk of src) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      this.bytesRead += buf.length;
      yield buf;
    }
  }

  /** Passes chunks through, or through gunzip when the input starts with the gzip magic. */
  private async *decompressed(src: AsyncGenerator<Buffer>, onGunzip: (g: ReturnType<typeof createGunzip>) => void): AsyncGenerator<Buffer> {
    const head = await src.next();
    if (head.done === true) return;
    let firstChunk = head.value;
    // A pipe may deliver a single byte first: the magic is two bytes, so look at two.
    while (firstChunk.length < 2) {
      const more = await src.next();
      if (more.done === true) break;
      firstChunk = Buffer.concat([firstChunk, more.value]);
    }
    const isGzip = /\.gz$/i.test(this.path) || (firstChunk.length >= 2 && firstChunk[0] === GZIP_MAGIC_0 && firstChunk[1] === GZIP_MAGIC_1);
    if (!isGzip) {
      yield firstChunk;
      yield* src;
      return;
    }
    this.gzip = true;
    const gunzip = createGunzip();
    onGunzip(gunzip);
    let stopped = false;
    // Feed the compressed chunks in with back-pressure while reading the output. Once gunzip has
    // failed (not gzip after all, a corrupt file) the feeder stops instead of waiting for a
    // 'drain' that a destroyed stream never emits: that wait hung `aisctl ingest` on a corrupt
    // .gz over 256 KiB.
    const feed = (async () => {
      try {
        if (!gunzip.write(firstChunk)) await onceDrain(gunzip);
        while (!stopped && !gunzip.destroyed) {
          const next = await src.next();
          if (next.done === true || stopped || gunzip.destroyed) break;
          if (!gunzip.write(next.value)) await onceDrain(gunzip);
        }
        if (!gunzip.destroyed) gunzip.end();
      } catch (e) {
        gunzip.destroy(e instanceof Error ? e : new Error(String(e)));
      }
    })();
    try {
      for await (const out of gunzip) yield out as Buffer;
    } finally {
      // On the normal path the feeder has already ended gunzip; after a failure it may still be
      // waiting for input that nobody wants, so it is told to stop, not waited for.
      stopped = true;
      feed.catch(() => undefined);
    }
  }
}

function onceDrain(stream: Writable): Promise<void> {
  // A stream destroyed before the listeners are added has already emitted 'close'.
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.removeListener('drain', done);
      stream.removeListener('close', done);
      stream.removeListener('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}
