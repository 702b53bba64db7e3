/**
 * Writers turn normalized messages back into each input format: the fixture generator uses them,
 * and round-trip tests check that reading what was written gives the same messages. Pure.
 *
 * Row formats (AISHub, MarineCadastre, DMA) carry static data beside a position in one record,
 * so a static report cannot be written alone: pass it as `statics` with the vessel's position,
 * and `line` returns null for a bare static report.
 */
import type { NormalizedMessage, StaticReport } from '../../normalize/message.js';

export const OUTPUT_FORMATS = ['jsonl', 'aisstream', 'aishub-0', 'aishub-1', 'noaa-csv-2023', 'noaa-csv-2024', 'dma-csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RecordWriter {
  readonly format: OutputFormat;
  /** The header line, or null when the format has none. */
  header(): string | null;
  /** One line (without newline); null when the format cannot carry this message alone. */
  line(m: NormalizedMessage, statics?: StaticReport | null): string | null;
}

/** Seconds-resolution UTC time `YYYY-MM-DD<sep>HH:MM:SS`. */
export function utcSeconds(ts: number, sep: 'T' | ' '): string {
  const iso = new Date(ts).toISOString();
  return `${iso.slice(0, 10)}${sep}${iso.slice(11, 19)}`;
}

export function lengthOf(s: StaticReport | null | undefined): number | null {
  if (s === null || s === undefined) return null;
  if (s.length !== undefined && s.length !== null) return s.length;
  return s.toBow !== null && s.toStern !== null ? s.toBow + s.toStern : null;
}

export function widthOf(s: StaticReport | null | undefined): number | null {
  if (s === null || s === undefined) return null;
  if (s.width !== undefined && s.width !== null) return s.width;
  return s.toPort !== null && s.toStarboard !== null ? s.toPort + s.toStarboard : null;
}

export function cell(v: number | string | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}
