/**
 * The one duration grammar, for every command-line flag and every scenario field: a number
 * with a unit, or several from the largest unit down: `500ms`, `30s`, `5m`, `1h`, `1d`, `1m30s`,
 * `1h30m`, `1.5s`.
 *
 * A bare number is refused, never guessed: `60` reads as seconds to one person and
 * milliseconds to another, and a guess silently mis-sizes a run or a lateness window.
 */
import { AisctlError } from '../errors/aisctl-error.js';

/** Examples for messages and help, in the order they are usually reached for. */
export const DURATION_EXAMPLES = '500ms, 30s, 5m, 1h, 1d or 1m30s';

const UNIT_MS: Readonly<Record<string, number>> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
/** Larger units first: a compound must go down this list, each unit at most once. */
const UNIT_RANK: Readonly<Record<string, number>> = { d: 0, h: 1, m: 2, s: 3, ms: 4 };
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;

export class DurationError extends AisctlError {
  override readonly name = 'DurationError';
  constructor(
    /** What was being read: a flag (`--lateness`) or a field (`warmup`). */
    readonly what: string,
    /** The text as given. */
    readonly input: string,
    /** `ambiguous`: a number without a unit; `malformed`: anything else that is not a duration. */
    readonly reason: 'ambiguous' | 'malformed',
  ) {
    super(
      reason === 'ambiguous'
        ? `${what}: ${input} is ambiguous: ${unitHint(input)}`
        : `${what}: expected a duration such as ${DURATION_EXAMPLES}, found '${input}'`,
    );
  }
}

/** What to write instead of a bare number: seconds, the unit people most often mean. */
export function unitHint(bare: string): string {
  return `write ${bare}s`;
}

/** Milliseconds; throws DurationError naming `what`. Numbers (as YAML reads `duration: 60`) are bare numbers. */
export function parseDuration(input: string | number, what: string): number {
  const text = String(input).trim();
  if (typeof input === 'number' ? Number.isFinite(input) && input >= 0 : BARE_NUMBER.test(text)) throw new DurationError(what, text, 'ambiguous');
  // `ms` before `m` and `s`: at "5ms" the longer unit must win.
  const part = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/y;
  let total = 0;
  let rank = -1;
  let m: RegExpExecArray | null;
  while ((m = part.exec(text)) !== null) {
    const unit = m[2] ?? '';
    const r = UNIT_RANK[unit] ?? -1;
    if (r <= rank) throw new DurationError(what, text, 'malformed');
    rank = r;
    total += Number(m[1]) * (UNIT_MS[unit] ?? Number.NaN);
    if (part.lastIndex === text.length) break;
  }
  if (rank < 0 || part.lastIndex !== text.length || !Number.isFinite(total)) throw new DurationError(what, text, 'malformed');
  return total;
}

/**
 * Whole milliseconds in the same grammar, largest unit first (`90000` -> `1m30s`), so a default
 * kept in ms can be shown as the flag a user would type; `parseDuration` reads it back exactly.
 */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`formatDuration: expected whole milliseconds >= 0, got ${ms}`);
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = UNIT_MS[unit] ?? 1;
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
