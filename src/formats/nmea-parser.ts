/**
 * NMEA AIS (`!AIVDM`/`!AIVDO`, tag blocks, multi-sentence messages, wrapped feeds) through the
 * streaming NmeaDecoder, then normalizeAis. The source is the tag block station when there is
 * one, else the file name (or the user's --source, which always wins).
 */
import { NmeaDecoder, type SentenceMeta } from '../ais/nmea-decoder.js';
import type { DecodeStats } from '../ais/decode-stats.js';
import type { AisMessage } from '../ais/types.js';
import { rejectedOutcome } from '../normalize/normalize-outcome.js';
import { normalizeAis, type NormalizeAisContext } from '../normalize/normalize-ais.js';
import type { OutcomeSink, ParserOptions, RecordParser } from './record-parser.js';
import { fileSourceName } from './source-name.js';

export class NmeaParser implements RecordParser {
  private readonly decoder: NmeaDecoder;
  private readonly source: string;
  private nowMs = 0;
  private emit: OutcomeSink = () => {};
  private readonly ctx: { -readonly [K in keyof NormalizeAisContext]: NormalizeAisContext[K] };

  constructor(private readonly opts: ParserOptions) {
    this.source = opts.source ?? fileSourceName(opts.file);
    this.ctx = {
      file: opts.file,
      source: this.source,
      sourceFixed: opts.source !== undefined,
      fallbackTimeMs: 0,
      nowMs: 0,
      maxFutureMs: opts.maxFutureMs,
    };
    this.decoder = new NmeaDecoder(
      {
        message: (msg: AisMessage, meta: SentenceMeta) => {
          // One context per parser, its clock fields refreshed per message: normalizeAis reads it
          // synchronously and keeps no reference, and a literal per message was garbage on the
          // per-position path.
          const ctx = this.ctx;
          ctx.fallbackTimeMs = this.nowMs;
          ctx.nowMs = this.nowMs;
          this.emit(normalizeAis(msg, meta, ctx));
        },
        reject: (reason, detail, line) => {
          this.emit(rejectedOutcome({ reason, detail, origin: { file: this.opts.file, line } }));
        },
        // Each type 24 half goes through on its own: the vessels table merges non-null static
        // fields, so a part A whose part B never arrives still delivers the name instead of being
        // held (and lost) in a merger.
      },
      { mergeType24: false },
    );
  }

  get decodeStats(): DecodeStats {
    return this.decoder.stats;
  }

  parseLine(line: string, lineNo: number, nowMs: number, emit: OutcomeSink): void {
    this.nowMs = nowMs;
    this.emit = emit;
    // No nowMs for the decoder: its fragment clock follows the data's own times, so replaying an
    // old file does not expire every multi-sentence message at once.
    this.decoder.push(line, lineNo);
  }

  finish(nowMs: number, emit: OutcomeSink): void {
    this.nowMs = nowMs;
    this.emit = emit;
    this.decoder.flush();
  }
}
