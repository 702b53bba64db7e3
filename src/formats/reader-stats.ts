import type { DecodeStats } from '../ais/decode-stats.js';
import type { RejectionReason } from '../normalize/message.js';
import type { RangeField } from '../normalize/field-ranges.js';
import type { NormalizeOutcome } from '../normalize/normalize-outcome.js';
import type { InputFormat } from './input-format.js';

/** Counters of one input read by readMessages. Every record ends as messages, a rejection or ignored. */
export interface ReaderStats {
  format: InputFormat | null;
  lines: number;
  /** Records seen: NMEA messages and framing failures, CSV rows, JSON objects. */
  records: number;
  messages: number;
  positions: number;
  statics: number;
  rejectedTotal: number;
  rejected: Partial<Record<RejectionReason, number>>;
  ignoredTotal: number;
  /** By bounded kind: `mmsi:aton`, `ais_type:4`, `aisstream:BaseStationReport`, `dma:base_station`. */
  ignored: Record<string, number>;
  /** Fields nulled because they were out of range (the record was kept). */
  outOfRange: Partial<Record<RangeField, number>>;
  /** NMEA decoder counters; null for other formats. */
  decode: DecodeStats | null;
}

export function createReaderStats(): ReaderStats {
  return {
    format: null,
    lines: 0,
    records: 0,
    messages: 0,
    positions: 0,
    statics: 0,
    rejectedTotal: 0,
    rejected: {},
    ignoredTotal: 0,
    ignored: {},
    outOfRange: {},
    decode: null,
  };
}

export function countOutcome(stats: ReaderStats, o: NormalizeOutcome): void {
  stats.records++;
  for (const m of o.messages) {
    stats.messages++;
    if (m.kind === 'position') stats.positions++;
    else stats.statics++;
  }
  if (o.rejection !== null) {
    stats.rejectedTotal++;
    const r = o.rejection.reason;
    stats.rejected[r] = (stats.rejected[r] ?? 0) + 1;
  }
  if (o.ignored) {
    stats.ignoredTotal++;
    const k = o.ignoredKind ?? 'other';
    stats.ignored[k] = (stats.ignored[k] ?? 0) + 1;
  }
  for (const f of o.outOfRange) stats.outOfRange[f] = (stats.outOfRange[f] ?? 0) + 1;
}
