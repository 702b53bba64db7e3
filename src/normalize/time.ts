/**
 * Event-time parsing and validation. Every parser returns NaN for input it cannot read and
 * never throws; validateTime turns NaN into `bad_time`.
 */
import type { RejectionReason } from './message.js';

/** 1990-01-01T00:00:00Z: AIS predates nothing earlier; older stamps are clock or parse faults. */
export const TIME_FLOOR_MS = Date.UTC(1990, 0, 1);
/** How far ahead of the receiver's clock a report may be (clock skew between stations). */
export const DEFAULT_MAX_FUTURE_MS = 5 * 60_000;

export interface TimeContext {
  readonly nowMs: number;
  readonly maxFutureMs: number;
}

/** The largest time a JavaScript Date can hold (year 275760); beyond it toISOString throws. */
const DATE_RANGE_MS = 8.64e15;

export function validateTime(ts: number, ctx: TimeContext): RejectionReason | null {
  // Outside the Date range is not a time at all: a 16-digit tag block time or a JSONL ts of 1e16
  // used to throw from the rejection's message and end the whole input.
  if (typeof ts !== 'number' || !Number.isFinite(ts) || Math.abs(ts) > DATE_RANGE_MS) return 'bad_time';
  if (ts < TIME_FLOOR_MS) return 'time_before_1990';
  if (ts > ctx.nowMs + ctx.maxFutureMs) return 'time_in_future';
  return null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** UTC ms from calendar fields, NaN when any field is out of its range. */
export function utcFromFields(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return Number.NaN;
  const dim = mo === 2 && isLeap(y) ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 0);
  if (d > dim) return Number.NaN;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

// Date and time with T or space, optional seconds and fraction (any digits: Go prints ns), then an
// optional numeric zone or Z, then an optional zone word (aisstream: "+0000 UTC", AISHub: "GMT").
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*(UTC|GMT)?$/i;

/**
 * ISO-8601-like date-times. A time without zone is UTC (MarineCadastre, AISHub and most feeds
 * publish UTC without saying so); an explicit offset is honoured.
 */
export function parseIsoTime(text: string): number {
  if (typeof text !== 'string') return Number.NaN;
  const m = ISO_RE.exec(text.trim());
  if (m === null) return Number.NaN;
  const frac = m[7] ?? '';
  const ms = frac.length === 0 ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const base = utcFromFields(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  const zone = m[8];
  if (zone === undefined || zone === 'Z' || zone === 'z') return base;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const zh = Number(digits.slice(0, 2));
  const zm = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (zh > 14 || zm > 59) return Number.NaN;
  return base - sign * (zh * 60 + zm) * 60_000;
}

const DMA_RE = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;

/** Danish Maritime Authority `dd/mm/yyyy HH:MM:SS`, UTC. */
export function parseDmaTime(text: string): number {
  if (typeof text !== 'string') return Number.NaN;
  const m = DMA_RE.exec(text.trim());
  if (m === null) return Number.NaN;
  return utcFromFields(Number(m[3]), Number(m[2]), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), 0);
}

/**
 * Epoch number in seconds, ms, µs or ns, told apart by magnitude: below 1e11 it is seconds (1e11 s
 * is the year 5138, 1e11 ms is 1973, before AIS existed), and so on up by 1000.
 */
export function epochToMs(value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return Number.NaN;
  const abs = Math.abs(value);
  if (abs < 1e11) return Math.round(value * 1000);
  if (abs < 1e14) return Math.round(value);
  if (abs < 1e17) return Math.round(value / 1e3);
  return Math.round(value / 1e6);
}

const EPOCH_RE = /^-?\d+(?:\.\d+)?$/;

/** A time as feeds send it: epoch number, numeric string, or ISO-like string. NaN otherwise. */
export function parseTimeValue(value: unknown): number {
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value !== 'string') return Number.NaN;
  const t = value.trim();
  if (EPOCH_RE.test(t)) return epochToMs(Number(t));
  return parseIsoTime(t);
}
