/**
 * Parameters of the reads (time ranges, bounding boxes, MMSIs, coordinates), parsed the same
 * way for the CLI (`aisctl track`, `export`, `search`) and the read API. Every mistake is a
 * ReadParamError that names the parameter, which the CLI prints as one line and the API answers
 * with 400. Values reach SQL only as the typed numbers returned here, as bound parameters.
 *
 * Times are an ISO 8601 time or a duration back from now in the one duration grammar
 * (utils/duration.ts: `90s`, `30m`, `6h`, `7d`, `1d12h`); a time without a zone is UTC, as
 * everywhere in aisctl (normalize/time.ts). Ranges are half-open: since <= ts < until.
 */
import { AisctlError } from '../errors/aisctl-error.js';
import { parseIsoTime } from '../normalize/time.js';
import { DURATION_EXAMPLES, DurationError, parseDuration } from '../utils/duration.js';
import type { BBox } from '../store/postgres/track-queries.js';
import { normalizeSearchText, SEARCH_MAX_CHARS, SEARCH_MIN_CHARS } from '../store/postgres/vessel-search.js';

export class ReadParamError extends AisctlError {
  override readonly name = 'ReadParamError';

  constructor(
    /** The parameter at fault, as the caller spelled it (`--since`, `lat`). */
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

const TIME_HINT = 'an ISO 8601 time (2024-06-01T08:00:00Z; no zone means UTC) or a duration back from now (30m, 6h, 7d)';

/** ms since epoch, or null when `value` is neither a time nor a duration. */
export function parseTimeBound(value: string, nowMs: number): number | null {
  const text = value.trim();
  try {
    return nowMs - parseDuration(text, 'time');
  } catch (err) {
    if (!(err instanceof DurationError)) throw err;
  }
  const t = parseIsoTime(text);
  return Number.isFinite(t) ? t : null;
}

/** A duration above 0 in ms, in the grammar of every other duration (a unit is required). */
export function parseDurationParam(name: string, value: string): number {
  let ms: number;
  try {
    ms = parseDuration(value, name);
  } catch (err) {
    if (err instanceof DurationError)
      throw new ReadParamError(
        name,
        `${name} must be a duration such as ${DURATION_EXAMPLES}: got '${value}'${err.reason === 'ambiguous' ? ` (a unit is required: ${value.trim()}s?)` : ''}`,
      );
    throw err;
  }
  if (!(ms > 0)) throw new ReadParamError(name, `${name} must be a duration above 0: got '${value}'`);
  return ms;
}

export interface TimeRangeRules {
  /** `since` when none is given, as a span back from `until`, ms. Undefined: since is required. */
  readonly defaultSpanMs?: number;
  /** Longest allowed span, ms. */
  readonly maxSpanMs?: number;
  /** How the bounds are named in messages: `--since` for the CLI (default), `since` for the API. */
  readonly names?: { readonly since: string; readonly until: string };
}

function formatSpan(ms: number): string {
  const d = ms / 86_400_000;
  return d >= 1 ? `${Number(d.toFixed(2))} days` : `${Number((ms / 3_600_000).toFixed(2))} hours`;
}

export function parseTimeRange(
  input: { readonly since?: string | undefined; readonly until?: string | undefined },
  nowMs: number,
  rules: TimeRangeRules = {},
): { fromMs: number; toMs: number } {
  const names = rules.names ?? { since: '--since', until: '--until' };
  let toMs = nowMs;
  if (input.until !== undefined) {
    const t = parseTimeBound(input.until, nowMs);
    if (t === null) throw new ReadParamError(names.until, `${names.until} must be ${TIME_HINT}: got '${input.until}'`);
    toMs = t;
  }
  let fromMs: number;
  if (input.since !== undefined) {
    const t = parseTimeBound(input.since, nowMs);
    if (t === null) throw new ReadParamError(names.since, `${names.since} must be ${TIME_HINT}: got '${input.since}'`);
    fromMs = t;
  } else if (rules.defaultSpanMs !== undefined) {
    fromMs = toMs - rules.defaultSpanMs;
  } else {
    throw new ReadParamError(names.since, `${names.since} is required: ${TIME_HINT}`);
  }
  if (fromMs >= toMs) {
    throw new ReadParamError(names.since, `${names.since} (${new Date(fromMs).toISOString()}) must be before ${names.until} (${new Date(toMs).toISOString()})`);
  }
  if (rules.maxSpanMs !== undefined && toMs - fromMs > rules.maxSpanMs) {
    throw new ReadParamError(
      names.since,
      `the span from ${names.since} to ${names.until} may be at most ${formatSpan(rules.maxSpanMs)}: got ${formatSpan(toMs - fromMs)}`,
    );
  }
  return { fromMs, toMs };
}

const MMSI = /^\d{1,9}$/;

export function parseMmsiParam(name: string, value: string): number {
  const text = value.trim();
  const n = Number(text);
  if (!MMSI.test(text) || n <= 0) throw new ReadParamError(name, `${name} must be an MMSI: an integer of up to 9 digits, e.g. 244660000: got '${value}'`);
  return n;
}

/** `244660001,244660002`: at most `max` distinct MMSIs, sorted. */
export function parseMmsiList(name: string, value: string, max = 10_000): number[] {
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new ReadParamError(name, `${name} must be a comma-separated list of MMSIs: got '${value}'`);
  const set = new Set(parts.map((p) => parseMmsiParam(name, p)));
  if (set.size > max) throw new ReadParamError(name, `${name} may list at most ${max} MMSIs: got ${set.size}`);
  return [...set].sort((a, b) => a - b);
}

/** A decimal number within [min, max]; `what` completes "must be ...". */
export function parseNumberParam(name: string, value: string, min: number, max: number, what: string): number {
  const text = value.trim();
  const n = Number(text);
  if (text === '' || !Number.isFinite(n) || n < min || n > max) throw new ReadParamError(name, `${name} must be ${what} (${min}..${max}): got '${value}'`);
  return n;
}

/** `W,S,E,N` in degrees; W > E is a box across the antimeridian. */
export function parseBBoxParam(name: string, value: string): BBox {
  const parts = value.split(',').map((p) => p.trim());
  const shape = `${name} must be W,S,E,N in decimal degrees (e.g. 3.5,51.5,4.5,52.2; W > E crosses the antimeridian)`;
  if (parts.length !== 4) throw new ReadParamError(name, `${shape}: got '${value}'`);
  const [w, s, e, n] = parts.map(Number) as [number, number, number, number];
  const lonOk = (x: number): boolean => Number.isFinite(x) && x >= -180 && x <= 180;
  const latOk = (x: number): boolean => Number.isFinite(x) && x >= -90 && x <= 90;
  if (parts.some((p) => p === '') || !lonOk(w) || !lonOk(e) || !latOk(s) || !latOk(n)) throw new ReadParamError(name, `${shape}: got '${value}'`);
  if (s > n) throw new ReadParamError(name, `${name}: south (${s}) must not be north of north (${n})`);
  return { west: w, south: s, east: e, north: n };
}

/** The distance syntax of `aisctl near --radius`: `500m`, `10km`, `5nm`, `3mi`; a bare number is metres. */
export function parseDistanceParam(name: string, value: string, maxMeters: number): number {
  const m = /^(\d+(?:\.\d+)?)(m|km|nm|mi)?$/.exec(value.trim());
  const factor = m === null ? 0 : m[2] === 'km' ? 1000 : m[2] === 'nm' ? 1852 : m[2] === 'mi' ? 1609.344 : 1;
  const meters = m === null ? Number.NaN : Number(m[1]) * factor;
  if (!(meters > 0) || meters > maxMeters) {
    throw new ReadParamError(name, `${name} must be a distance above 0 and at most ${maxMeters / 1000} km, like 500m, 10km or 5nm: got '${value}'`);
  }
  return meters;
}

/** An integer within [min, max]. */
export function parseIntParam(name: string, value: string, min: number, max: number): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new ReadParamError(name, `${name} must be an integer between ${min} and ${max}: got '${value}'`);
  return n;
}

/** Search text: whitespace runs become one space; SEARCH_MIN_CHARS to SEARCH_MAX_CHARS characters. */
export function parseSearchText(name: string, value: string): string {
  const t = normalizeSearchText(value);
  if (t.length < SEARCH_MIN_CHARS || t.length > SEARCH_MAX_CHARS) {
    throw new ReadParamError(
      name,
      `${name} must be ${SEARCH_MIN_CHARS} to ${SEARCH_MAX_CHARS} characters (a name, call sign, IMO number or MMSI prefix): got '${value}'`,
    );
  }
  return t;
}

/** The query's parameters as single values; unknown or repeated ones are refused by name. */
export function singleParams(query: URLSearchParams, allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of query) {
    if (!allowed.includes(k)) throw new ReadParamError(k, `unknown parameter '${k}'; this route takes ${allowed.join(', ') || 'no parameters'}`);
    if (out.has(k)) throw new ReadParamError(k, `parameter '${k}' given more than once`);
    out.set(k, v);
  }
  return out;
}
