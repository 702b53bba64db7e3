/**
 * Counters kept by the NMEA decoder. A plain mutable object so the hot path only increments
 * numbers; `decodeStatsToJson` turns it into the shape printed by `--json` and reports.
 *
 * Accounting (checked by `decodeStatsDiscrepancies` and the property tests): every input line
 * ends in exactly one outcome, except that a line holding several glued sentences yields one
 * outcome per sentence, and every accepted AIS sentence ends in exactly one fate:
 *
 *   lines + gluedSentences = blankLines + commentLines + junkLines + wrapperLines
 *                          + sum(nonAisSentences) + rejectedLines + sentences
 *   sentences = assembledSentences + duplicateFragments + droppedFragments + pendingFragments
 *   assembled = payloadsDecoded + rejectedPayloads
 *   payloadsDecoded = messages + type24PartsHeld
 */
import { DECODE_REJECTION_REASONS, REJECTION_REASONS, type RejectionReason } from './rejection-reason.js';

export interface DecodeStats {
  /** Lines pushed. */
  lines: number;
  /** Empty or whitespace-only lines. */
  blankLines: number;
  /** Lines starting with `#`. */
  commentLines: number;
  /** Lines that are neither NMEA nor a known wrapper (free text, truncated garbage). */
  junkLines: number;
  /** Lines that only carry a wrapper for the next sentence (Gatehouse `$PGHP`). */
  wrapperLines: number;
  /** Other NMEA sentences skipped, by sentence id (`GPRMC`, `IIMWV`, ...). */
  nonAisSentences: Record<string, number>;
  /** Extra sentences found glued after another sentence's checksum on the same line. */
  gluedSentences: number;
  /** Lines (or glued sentences) refused by framing: checksum, tag block, malformed fields. */
  rejectedLines: number;
  /** AIS sentences accepted by framing (each is one fragment of a message). */
  sentences: number;
  /** Fragments identical to one already held for the same pending message; ignored. */
  duplicateFragments: number;
  /** Fragments thrown away with an incomplete message (bad sequence, eviction, end of input). */
  droppedFragments: number;
  /** Sentences that became part of a complete payload. */
  assembledSentences: number;
  /** Complete payloads (single-sentence or reassembled) handed to the payload decoder. */
  assembled: number;
  /** Payloads that decoded into a message. */
  payloadsDecoded: number;
  /** Payloads refused by the payload decoder (too short, bad characters, unknown type, fill bits). */
  rejectedPayloads: number;
  /**
   * Type 24 parts taken by the merger without an emit: one waiting for its other half, or the
   * first half of a merged record (which is emitted, and counted, with its second half).
   */
  type24PartsHeld: number;
  /** Messages emitted to the sink. */
  messages: number;
  /** Emitted messages by AIS message type. */
  messagesByType: Record<number, number>;
  /** Wrapper or metadata that was unwrapped: `gatehouse`, `trailer` (text after the checksum), `prefix` (timestamp before the sentence). */
  unwrapped: Record<string, number>;
  /** Rejections by reason (each rejection is one message or one line). */
  rejected: Record<RejectionReason, number>;
  /** Incomplete messages evicted by the pending cap or the fragment timeout. */
  evicted: number;
}

export function createDecodeStats(): DecodeStats {
  const rejected = {} as Record<RejectionReason, number>;
  for (const r of REJECTION_REASONS) rejected[r] = 0;
  return {
    lines: 0,
    blankLines: 0,
    commentLines: 0,
    junkLines: 0,
    wrapperLines: 0,
    nonAisSentences: {},
    gluedSentences: 0,
    rejectedLines: 0,
    sentences: 0,
    duplicateFragments: 0,
    droppedFragments: 0,
    assembledSentences: 0,
    assembled: 0,
    payloadsDecoded: 0,
    rejectedPayloads: 0,
    type24PartsHeld: 0,
    messages: 0,
    messagesByType: {},
    unwrapped: {},
    rejected,
    evicted: 0,
  };
}

export function totalRejected(stats: DecodeStats): number {
  let n = 0;
  for (const r of REJECTION_REASONS) n += stats.rejected[r];
  return n;
}

function sumValues(rec: Record<string, number>): number {
  let n = 0;
  for (const k of Object.keys(rec)) n += rec[k] ?? 0;
  return n;
}

/**
 * The accounting identities that do not hold, as readable strings (empty when all hold).
 * `pendingFragments` is the number of sentences still held for incomplete messages.
 */
export function decodeStatsDiscrepancies(stats: DecodeStats, pendingFragments: number): string[] {
  const out: string[] = [];
  const outcomes =
    stats.blankLines + stats.commentLines + stats.junkLines + stats.wrapperLines + sumValues(stats.nonAisSentences) + stats.rejectedLines + stats.sentences;
  if (stats.lines + stats.gluedSentences !== outcomes) {
    out.push(`lines ${stats.lines} + glued ${stats.gluedSentences} != line outcomes ${outcomes}`);
  }
  const fates = stats.assembledSentences + stats.duplicateFragments + stats.droppedFragments + pendingFragments;
  if (stats.sentences !== fates) out.push(`sentences ${stats.sentences} != fragment fates ${fates}`);
  if (stats.assembled !== stats.payloadsDecoded + stats.rejectedPayloads) {
    out.push(`assembled ${stats.assembled} != decoded ${stats.payloadsDecoded} + rejected payloads ${stats.rejectedPayloads}`);
  }
  if (stats.payloadsDecoded !== stats.messages + stats.type24PartsHeld) {
    out.push(`decoded ${stats.payloadsDecoded} != messages ${stats.messages} + held type 24 parts ${stats.type24PartsHeld}`);
  }
  if (sumValues(stats.messagesByType) !== stats.messages) out.push('messagesByType does not sum to messages');
  return out;
}

export interface DecodeStatsJson {
  readonly lines: number;
  readonly blankLines: number;
  readonly commentLines: number;
  readonly junkLines: number;
  readonly wrapperLines: number;
  readonly nonAisSentences: Readonly<Record<string, number>>;
  readonly gluedSentences: number;
  readonly rejectedLines: number;
  readonly sentences: number;
  readonly duplicateFragments: number;
  readonly droppedFragments: number;
  readonly assembled: number;
  readonly rejectedPayloads: number;
  readonly messages: number;
  readonly messagesByType: Readonly<Record<string, number>>;
  readonly type24PartsHeld: number;
  readonly unwrapped: Readonly<Record<string, number>>;
  /** Always lists the decoding reasons (zeros included) so the shape is stable; others only when non-zero. */
  readonly rejected: Readonly<Record<string, number>>;
  readonly rejectedTotal: number;
  readonly evicted: number;
}

function sortedCopy(rec: Record<string | number, number>): Record<string, number> {
  const out: Record<string, number> = {};
  const keys = Object.keys(rec);
  const numeric = keys.every((k) => /^\d+$/.test(k));
  keys.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  for (const k of keys) out[k] = (rec as Record<string, number>)[k] ?? 0;
  return out;
}

/** A detached, JSON-ready snapshot (later pushes do not change it). */
export function decodeStatsToJson(stats: DecodeStats): DecodeStatsJson {
  const rejected: Record<string, number> = {};
  for (const r of REJECTION_REASONS) {
    const n = stats.rejected[r];
    if (n !== 0 || (DECODE_REJECTION_REASONS as readonly string[]).includes(r)) rejected[r] = n;
  }
  return {
    lines: stats.lines,
    blankLines: stats.blankLines,
    commentLines: stats.commentLines,
    junkLines: stats.junkLines,
    wrapperLines: stats.wrapperLines,
    nonAisSentences: sortedCopy(stats.nonAisSentences),
    gluedSentences: stats.gluedSentences,
    rejectedLines: stats.rejectedLines,
    sentences: stats.sentences,
    duplicateFragments: stats.duplicateFragments,
    droppedFragments: stats.droppedFragments,
    assembled: stats.assembled,
    rejectedPayloads: stats.rejectedPayloads,
    messages: stats.messages,
    messagesByType: sortedCopy(stats.messagesByType),
    type24PartsHeld: stats.type24PartsHeld,
    unwrapped: sortedCopy(stats.unwrapped),
    rejected,
    rejectedTotal: totalRejected(stats),
    evicted: stats.evicted,
  };
}
