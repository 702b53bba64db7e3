/**
 * NMEA AIS (`!AIVDM`/`!AIVDO`, tag blocks, multi-sentence messages, wrapped feeds) through the
 * streaming NmeaDecoder, then normalizeAis. The source is the tag block station when there is
 * one, else the file name (or the user's --source, which always wins).
 */
import { NmeaDecoder, type SentenceMeta } from '../ais/nmea-decoder.js';
import type { DecodeStats } from '../ais/decode-stats.js';
import type { AisMessage } from '../ais/types.js';
import { rejectedOutcome } from '../normalize/normalize-outcome.js';
import { normalizeAis } from '../normalize/normalize-ais.js';
import type { OutcomeSink, ParserOptions, RecordParser } from './record-parser.js';
import { fileSourceName } from './source-name.js';

export class NmeaParser implements RecordParser {
  private readonly decoder: NmeaDecoder;
  private readonly source: string;
  private nowMs = 0;
  private emit: OutcomeSink = () => {};

  constructor(private readonly opts: ParserOptions) {
    this.source = opts.source ?? fileSourceName(opts.file);
    this.decoder = new NmeaDecoder({
      message: (msg: AisMessage, meta: SentenceMeta) => {
        this.emit(
          normalizeAis(msg, meta, {
            file: this.opts.file,
            source: this.source,
            sourceFixed: this.opts.source !== undefined,
            fallbackTimeMs: this.nowMs,
            nowMs: this.nowMs,
            maxFutureMs: this.opts.maxFutureMs,
          }),
        );
      },
      reject: (reason, detail, line) => {
        this.emit(rejectedOutcome({ reason, detail, origin: { file: this.opts.file, line } }));
      },
    // Each type 24 half goes through on its own: the vessels table merges non-null static
    // fields, so a part A whose part B never arrives still delivers the name instead of being
    // held (and lost) in a merger.
    }, { mergeType24: false });
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
