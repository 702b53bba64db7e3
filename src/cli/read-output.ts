/**
 * Where `aisctl track` and `aisctl export` write: stdout or a file, line by line with
 * back-pressure, so a year of positions never sits in memory. A reader that goes away
 * (`aisctl track X | head`) ends the command quietly: `broken` turns true and the caller stops
 * reading from PostgreSQL. A file is written as `FILE.partial` and renamed into place only
 * when the export is complete, so a file under the final name is never a torn export.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { OutputBuffer } from './output-buffer.js';

export interface ReadOutput {
  /** Writes one line; await the promise when one is returned (the stream is full). */
  line(text: string): Promise<void> | undefined;
  /** The reader closed the pipe: stop producing. */
  readonly broken: boolean;
  /** Flushes and, for a file, renames it into place. */
  finish(): Promise<void>;
  /** Drops a partial file (after an error). */
  abandon(): Promise<void>;
}

function endStream(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

export function openReadOutput(path: string | undefined): ReadOutput {
  if (path === undefined || path === '-') {
    let broken = false;
    const out = process.stdout;
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') broken = true;
      else throw err;
    });
    const buffer = new OutputBuffer(out);
    return {
      line: (text) => (broken ? undefined : buffer.line(text)?.catch(() => undefined)),
      get broken() {
        return broken;
      },
      async finish() {
        if (!broken) await buffer.flush()?.catch(() => undefined);
      },
      async abandon() {
        if (!broken) await buffer.flush()?.catch(() => undefined);
      },
    };
  }
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial);
  let failure: Error | null = null;
  stream.on('error', (err) => {
    failure = err;
  });
  const buffer = new OutputBuffer(stream);
  const check = (): void => {
    if (failure !== null) throw failure;
  };
  return {
    line(text) {
      check();
      return buffer.line(text);
    },
    broken: false,
    async finish() {
      await buffer.flush();
      await endStream(stream);
      check();
      renameSync(partial, path);
    },
    async abandon() {
      stream.destroy();
      rmSync(partial, { force: true });
    },
  };
}
