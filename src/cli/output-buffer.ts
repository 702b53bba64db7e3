/**
 * Buffered writes to a stream that respect back-pressure: decoding millions of messages must not
 * make one write() call per line, nor queue unbounded output in memory when stdout is slow.
 */
import type { Writable } from 'node:stream';

const CHUNK = 64 * 1024;

export class OutputBuffer {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly out: Writable) {}

  /** Adds a line; returns a promise only when the buffer was flushed into a full stream. */
  line(text: string): Promise<void> | undefined {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= CHUNK) return this.flush();
    return undefined;
  }

  flush(): Promise<void> | undefined {
    if (this.size === 0) return undefined;
    const ok = this.out.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    if (ok) return undefined;
    return new Promise((resolve, reject) => {
      const onDrain = (): void => {
        this.out.off('error', onError);
        resolve();
      };
      const onError = (err: Error): void => {
        this.out.off('drain', onDrain);
        reject(err);
      };
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
    });
  }
}
