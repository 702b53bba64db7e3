/**
 * Text in arbitrary chunks -> numbered lines, in time linear in the input and memory bounded by
 * the line-length cap. Pure (no I/O) so the file/stdin reader and the HTTP ingest path split the
 * same way.
 *
 * Only the new text of each chunk is searched for '\n': the part of a line carried over from
 * earlier chunks is never rescanned, so a line spread over many chunks costs its length once,
 * not its length times the number of chunks. A line that grows past the cap is not kept at all:
 * from then on its characters are only counted, and it comes out as `tooLong` with `line` ''.
 * The input (a file, a small .gz inflating to gigabytes, a request body) decides how long a line
 * is, so without the cap one line could take all memory.
 */

/** Well above any real NMEA/CSV/JSON line. */
export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

export interface SplitLine {
  readonly line: string;
  /** 1-based. */
  readonly lineNo: number;
  /** set when the line was longer than the cap: its length in characters; `line` is then '' */
  readonly tooLong?: number;
}

/** The rejection detail for a `tooLong` line, worded the same by every reader. */
export function lineTooLongDetail(length: number, maxLineLength: number): string {
  return `line of ${length} characters is over the ${maxLineLength}-character limit (--max-line-length)`;
}

const LF = '\n';
const CR = 13;

export class LineSplitter {
  readonly maxLineLength: number;
  private lineNo = 0;
  /** Pieces of the unfinished line; empty once it is known to be too long. */
  private parts: string[] = [];
  /** Characters of the unfinished line, not counting a trailing CR held in `pendingCr`. */
  private length = 0;
  /**
   * The unfinished line ends in CR. Held apart from `parts` because it is dropped if LF comes
   * next, and keeping it out lets a line of exactly the cap, split inside its CRLF, stay within
   * the cap while waiting for the LF.
   */
  private pendingCr = false;
  private overLong = false;

  constructor(maxLineLength: number = DEFAULT_MAX_LINE_LENGTH) {
    if (!Number.isInteger(maxLineLength) || maxLineLength < 1) throw new RangeError(`maxLineLength must be a positive integer: got ${maxLineLength}`);
    this.maxLineLength = maxLineLength;
  }

  /** Characters held for the unfinished line: never more than `maxLineLength`. */
  get buffered(): number {
    return this.overLong ? 0 : this.length;
  }

  /** Feeds decoded text; returns the complete lines it finished (CR before LF stripped). */
  push(text: string): SplitLine[] {
    const out: SplitLine[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf(LF, start);
      if (nl < 0) break;
      if (this.length === 0 && !this.pendingCr) {
        // Common case, a whole line inside this chunk: no copy into `parts`.
        const end = nl > start && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        const n = end - start;
        out.push(n > this.maxLineLength ? { line: '', lineNo: ++this.lineNo, tooLong: n } : { line: text.slice(start, end), lineNo: ++this.lineNo });
      } else {
        if (nl > start) this.append(text.slice(start, nl));
        out.push(this.takeLine());
      }
      start = nl + 1;
    }
    if (start < text.length) this.append(start === 0 ? text : text.slice(start));
    return out;
  }

  /** End of input: the final line without newline, if any. */
  end(): SplitLine[] {
    if (this.length === 0 && !this.pendingCr) return [];
    // A final CR is taken as a line end, as it would be before LF.
    return [this.takeLine()];
  }

  /** Adds a piece of the unfinished line (no LF in it). */
  private append(piece: string): void {
    const endsCr = piece.charCodeAt(piece.length - 1) === CR;
    const body = endsCr ? piece.slice(0, -1) : piece;
    // The CR held back before is not followed by LF, so it belongs to the line.
    const heldCr = this.pendingCr;
    this.length += (heldCr ? 1 : 0) + body.length;
    this.pendingCr = endsCr;
    if (this.overLong) return;
    if (this.length > this.maxLineLength) {
      this.overLong = true;
      this.parts = [];
      return;
    }
    if (heldCr) this.parts.push('\r');
    if (body.length > 0) this.parts.push(body);
  }

  private takeLine(): SplitLine {
    const lineNo = ++this.lineNo;
    const out: SplitLine = this.overLong
      ? { line: '', lineNo, tooLong: this.length }
      : { line: this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join(''), lineNo };
    this.parts = [];
    this.length = 0;
    this.pendingCr = false;
    this.overLong = false;
    return out;
  }
}
