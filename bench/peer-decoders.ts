/**
 * Adapters that run aisctl's NmeaDecoder and two npm AIS decoders over the same lines, counting
 * what each one decodes, rejects, and drops without a word, so the benchmark compares like with
 * like and shows any message a decoder silently skipped.
 *
 * Fairness: every decoder gets the same bare `!AIVDM` lines, one call per line, in one process.
 * - ais-stream-decoder is a Node Transform stream; the adapter calls its `_transform` directly and
 *   counts its `push` calls, so the stream machinery's overhead is left out (in its favour). Its
 *   decoded messages are JSON strings: building them is its own cost, not the adapter's.
 * - ggencoder decodes with `new AisDecode(line, session)`; a shared session object reassembles
 *   multi-sentence messages, as its README and source prescribe.
 * - aisctl's decoder runs with type 24 merging off, so every transmission counts once, as it does
 *   for the peers.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type AisStreamDecoder from 'ais-stream-decoder';
import { NmeaDecoder } from '../src/ais/nmea-decoder.js';

export interface DecodeCount {
  /** Messages the decoder produced. */
  readonly messages: number;
  /** Lines or messages it reported as errors (thrown, rejected, or flagged invalid with a reason). */
  readonly errors: number;
}

export interface BenchDecoder {
  readonly name: string;
  readonly version: string;
  /** Decode every line, in order, and count. */
  run(lines: readonly string[]): DecodeCount;
}

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  const path = require.resolve(`${pkg}/package.json`);
  const json = JSON.parse(readFileSync(path, 'utf8')) as { version?: string };
  return json.version ?? 'unknown';
}

export function aisctlDecoder(): BenchDecoder {
  const pkgPath = new URL('../package.json', import.meta.url);
  const version = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version?: string }).version ?? 'dev';
  return {
    name: 'aisctl',
    version,
    run(lines) {
      let messages = 0;
      let errors = 0;
      const d = new NmeaDecoder(
        {
          message: () => {
            messages++;
          },
          reject: () => {
            errors++;
          },
        },
        { mergeType24: false },
      );
      for (let i = 0; i < lines.length; i++) d.push(lines[i] as string, i + 1);
      d.flush();
      return { messages, errors };
    },
  };
}

export function aisStreamDecoder(): BenchDecoder {
  const Decoder = (require('ais-stream-decoder') as { default: typeof AisStreamDecoder.default }).default;
  return {
    name: 'ais-stream-decoder',
    version: versionOf('ais-stream-decoder'),
    run(lines) {
      let messages = 0;
      let errors = 0;
      const d = new Decoder({ silent: false });
      // Count instead of buffering into the readable side (see the file comment).
      d.push = (): boolean => {
        messages++;
        return true;
      };
      const done = (err?: Error | null): void => {
        if (err !== undefined && err !== null) errors++;
      };
      for (let i = 0; i < lines.length; i++) d._transform(lines[i] as unknown as Buffer, 'utf8', done);
      return { messages, errors };
    },
  };
}

interface GgAisDecode {
  readonly valid: boolean;
  readonly error: string;
}

export function ggencoderDecoder(): BenchDecoder {
  const { AisDecode } = require('ggencoder') as { AisDecode: new (input: string, session: object) => GgAisDecode };
  return {
    name: 'ggencoder',
    version: versionOf('ggencoder'),
    run(lines) {
      let messages = 0;
      let errors = 0;
      const session = {};
      for (let i = 0; i < lines.length; i++) {
        let r: GgAisDecode;
        try {
          r = new AisDecode(lines[i] as string, session);
        } catch {
          errors++;
          continue;
        }
        if (r.valid) messages++;
        else if (r.error !== '') errors++;
      }
      return { messages, errors };
    },
  };
}

export function allDecoders(): BenchDecoder[] {
  return [aisctlDecoder(), aisStreamDecoder(), ggencoderDecoder()];
}
