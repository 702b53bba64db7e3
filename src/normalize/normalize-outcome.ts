import type { NormalizedMessage, Rejection } from './message.js';
import type { RangeField } from './field-ranges.js';

/**
 * What one input record (NMEA message, CSV row, JSON object) became. A record may yield a
 * position and a static report, be rejected, or be ignored (not a vessel, not a type we track).
 */
export interface NormalizeOutcome {
  readonly messages: NormalizedMessage[];
  /** At most one per record: the first reason that stopped it. */
  readonly rejection: Rejection | null;
  readonly ignored: boolean;
  /** Why it was ignored, a bounded label such as `mmsi:aton` or `ais_type:4`. */
  readonly ignoredKind: string | null;
  /** Fields nulled because their value was out of range (the record itself was kept). */
  readonly outOfRange: readonly RangeField[];
}

/** Shared by every outcome without out-of-range fields: nothing mutates outcome arrays. */
export const NO_FIELDS: readonly RangeField[] = Object.freeze([]);

export function emptyOutcome(): NormalizeOutcome {
  return { messages: [], rejection: null, ignored: false, ignoredKind: null, outOfRange: NO_FIELDS };
}

export function ignoredOutcome(kind: string): NormalizeOutcome {
  return { messages: [], rejection: null, ignored: true, ignoredKind: kind, outOfRange: NO_FIELDS };
}

export function rejectedOutcome(rejection: Rejection): NormalizeOutcome {
  return { messages: [], rejection, ignored: false, ignoredKind: null, outOfRange: NO_FIELDS };
}

/** Combines the outcomes of the parts of one record (e.g. a CSV row's position and static). */
export function mergeOutcomes(a: NormalizeOutcome, b: NormalizeOutcome): NormalizeOutcome {
  const rejection = a.rejection ?? b.rejection;
  const messages = a.messages.length === 0 ? b.messages : b.messages.length === 0 ? a.messages : [...a.messages, ...b.messages];
  const ignored = messages.length === 0 && rejection === null && (a.ignored || b.ignored);
  return {
    messages,
    rejection,
    ignored,
    ignoredKind: ignored ? (a.ignoredKind ?? b.ignoredKind) : null,
    outOfRange: a.outOfRange.length === 0 ? b.outOfRange : [...a.outOfRange, ...b.outOfRange],
  };
}
