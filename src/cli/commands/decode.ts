/**
 * `aisctl decode FILE... [--format gpsd|jsonl|count] [--max-line-length N]`: the decoder alone,
 * streaming with constant memory: one JSON object per message on stdout, a summary of outcomes
 * on stderr.
 */
import { NmeaDecoder, type SentenceMeta } from '../../ais/nmea-decoder.js';
import { toGpsdJson } from '../../ais/gpsd-format.js';
import type { AisMessage } from '../../ais/types.js';
import { decodeStatsToJson } from '../../ais/decode-stats.js';
import { lineTooLongDetail } from '../../formats/line-splitter.js';
import { openInput } from '../../formats/open-input.js';
import type { RejectionReason } from '../../normalize/message.js';
import { OutputBuffer } from '../output-buffer.js';
import { parseIntOption, UsageError } from '../config.js';
import { errorMessage } from '../../errors/error-message.js';

interface DecodeOptions {
  format: 'gpsd' | 'jsonl' | 'count';
  mergeType24: boolean;
  quiet?: boolean;
  maxLineLength: string;
}

const MAX_REJECTION_EXAMPLES = 20;

export async function run(files: string[], opts: DecodeOptions): Promise<number> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
  const maxLineLength = parseIntOption('--max-line-length', opts.maxLineLength, 256, 1_073_741_824);
  const out = new OutputBuffer(process.stdout);
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // `aisctl decode big.nmea | head` closes the pipe early: that is not an error.
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });

  let currentFile = '';
  let pendingWrite: Promise<void> | undefined;
  const examples: string[] = [];
  const sink = {
    message(msg: AisMessage, meta: SentenceMeta): void {
      if (opts.format === 'count') return;
      const text =
        opts.format === 'gpsd'
          ? toGpsdJson(msg)
          : JSON.stringify({
              ...msg,
              meta: {
                file: currentFile,
                line: meta.line,
                talker: meta.talker,
                own: meta.own,
                channel: meta.channel,
                station: meta.station,
                receivedAt: meta.receivedAt,
              },
            });
      pendingWrite = out.line(text) ?? pendingWrite;
    },
    reject(reason: RejectionReason, detail: string, line: number): void {
      if (examples.length < MAX_REJECTION_EXAMPLES) examples.push(`${currentFile}:${line}: ${reason}: ${detail}`);
    },
  };

  const summaries: Array<{ file: string; stats: ReturnType<typeof decodeStatsToJson> }> = [];
  let failedFiles = 0;
  for (const file of files) {
    currentFile = file;
    const decoder = new NmeaDecoder(sink, { mergeType24: opts.mergeType24 });
    try {
      const input = await openInput(file, undefined, { maxLineLength });
      // A read's lines at a time: one await per read, not per line (decode is mostly this loop).
      for await (const lines of input.chunks()) {
        for (const { line, lineNo, tooLong } of lines) {
          if (tooLong === undefined) decoder.push(line, lineNo);
          else {
            // The decoder never sees the line (its text was not kept), so it is counted here, as a
            // rejected line, to keep the summary's lines = outcomes accounting.
            decoder.stats.lines++;
            decoder.stats.rejectedLines++;
            decoder.stats.rejected.line_too_long++;
            sink.reject('line_too_long', lineTooLongDetail(tooLong, maxLineLength), lineNo);
          }
        }
        // The output buffer holds at most one read's output past its limit before this waits.
        if (pendingWrite) {
          await pendingWrite;
          pendingWrite = undefined;
        }
      }
    } catch (err) {
      failedFiles++;
      process.stderr.write(`aisctl decode: ${file}: ${errorMessage(err)}\n`);
    }
    decoder.flush();
    summaries.push({ file, stats: decodeStatsToJson(decoder.stats) });
  }
  await out.flush();

  // With --format count the summary is the output, so it goes to stdout for scripts to read.
  const summaryOut = opts.format === 'count' ? process.stdout : process.stderr;
  if (!opts.quiet || opts.format === 'count') {
    for (const s of summaries) summaryOut.write(`${JSON.stringify({ summary: s.file, ...s.stats })}\n`);
  }
  if (!opts.quiet) for (const e of examples) process.stderr.write(`rejected ${e}\n`);
  return failedFiles > 0 ? 1 : 0;
}
