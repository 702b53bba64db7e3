/**
 * A parser turns the lines of one input, in order, into normalize outcomes. Parsers keep only
 * small bounded state (CSV header, an open quoted record, NMEA fragments) and never throw on
 * bad input: every problem becomes a rejection naming file and line.
 */
import type { NormalizeOutcome } from '../normalize/normalize-outcome.js';

export type OutcomeSink = (outcome: NormalizeOutcome) => void;

export interface ParserOptions {
  /** Path as given (`-` for stdin); appears in every origin. */
  readonly file: string;
  /** Source named by the user; when set it overrides whatever the input says. */
  readonly source?: string;
  readonly maxFutureMs: number;
}

export interface RecordParser {
  /** `nowMs` is the receive time of the line: used for the future check and as fallback time. */
  parseLine(line: string, lineNo: number, nowMs: number, emit: OutcomeSink): void;
  /** End of input: emits what is still pending (an unterminated record, buffered documents). */
  finish(nowMs: number, emit: OutcomeSink): void;
}
