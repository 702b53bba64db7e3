/**
 * Reads typed fields out of a parsed JSON object or a CSV row and remembers the first problem,
 * so a parser can read every field straight through and then turn the first failure into a
 * rejection that names the field.
 */
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth.js';
import type { Origin, Rejection, RejectionReason } from '../normalize/message.js';
import { errorMessage } from '../errors/error-message.js';

export interface FieldProblem {
  readonly reason: Extract<RejectionReason, 'malformed_record' | 'missing_field'>;
  readonly detail: string;
}

export class FieldProblems {
  first: FieldProblem | null = null;

  missing(field: string): void {
    if (this.first === null) this.first = { reason: 'missing_field', detail: `missing field ${field}` };
  }

  malformed(field: string, what: string): void {
    if (this.first === null) this.first = { reason: 'malformed_record', detail: `field ${field}: ${what}` };
  }

  toRejection(origin: Origin): Rejection | null {
    return this.first === null ? null : { reason: this.first.reason, detail: this.first.detail, origin };
  }
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  // JSON for strings, arrays and objects: String([1]) is "1", which reads like a valid number.
  const text = typeof v === 'string' || typeof v === 'object' ? (JSON.stringify(v) ?? String(v)) : String(v);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/**
 * Plain decimal notation, the only text a number may be written in: no sign but `-`, no
 * exponent, hex, `Infinity`, `NaN` or surrounding spaces. `Number()` accepts all of those, so
 * `"0x1A"` would otherwise be stored as 26.
 */
export const DECIMAL_RE = /^-?\d+(?:\.\d+)?$/;

/**
 * A number field of a JSON object: a JSON number, or a string in plain decimal notation (some
 * feeds quote numbers: `"TIME":"1625826523"`). Absent, null or `""` -> null (or missing_field if
 * required); anything else (other strings, booleans, arrays, objects) -> malformed_record.
 */
export function jsonNumber(obj: JsonObject, key: string, p: FieldProblems, required = false, label = key): number | null {
  const v = obj[key];
  if (v === undefined || v === null || v === '') {
    if (required) p.missing(label);
    return null;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && DECIMAL_RE.test(v)) {
    // Hundreds of digits are still decimal notation, but not a finite double.
    const n = Number(v);
    if (Number.isFinite(n)) return n;
  }
  p.malformed(label, `expected a number, got ${show(v)}`);
  return null;
}

/** jsonNumber for fields that are whole numbers (MMSI, IMO, codes): a fraction is malformed. */
export function jsonInteger(obj: JsonObject, key: string, p: FieldProblems, required = false, label = key): number | null {
  const v = jsonNumber(obj, key, p, required, label);
  if (v === null || Number.isInteger(v)) return v;
  p.malformed(label, `expected an integer, got ${show(obj[key])}`);
  return null;
}

export function jsonString(obj: JsonObject, key: string, p: FieldProblems, label = key): string | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  p.malformed(label, `expected a string, got ${show(v)}`);
  return null;
}

export function jsonObject(obj: JsonObject, key: string, p: FieldProblems, required = false, label = key): JsonObject | null {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) p.missing(label);
    return null;
  }
  if (isJsonObject(v)) return v;
  p.malformed(label, `expected an object, got ${show(v)}`);
  return null;
}

/**
 * A CSV cell as a number in plain decimal notation (DECIMAL_RE): empty -> null (missing_field if
 * required), anything else -> malformed_record naming the column. `integer` refuses fractions.
 */
export function csvNumber(cell: string | undefined, column: string, p: FieldProblems, required = false, integer = false): number | null {
  if (cell === undefined || cell.trim() === '') {
    if (required) p.missing(column);
    return null;
  }
  const v = DECIMAL_RE.test(cell) ? Number(cell) : Number.NaN;
  if (!Number.isFinite(v)) {
    p.malformed(column, `not a number: ${show(cell)}`);
    return null;
  }
  if (!integer || Number.isInteger(v)) return v;
  p.malformed(column, `not an integer: ${show(cell)}`);
  return null;
}

export function csvString(cell: string | undefined): string | null {
  if (cell === undefined) return null;
  const t = cell.trim();
  return t === '' ? null : t;
}

/**
 * Parses one JSON object (a line of a JSON-lines feed) without throwing; `detail` is the
 * rejection detail for anything else: invalid JSON, or valid JSON that is not `expected`.
 */
export function parseJsonObject(text: string, expected: string): { ok: true; value: JsonObject } | { ok: false; detail: string } {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, detail: `invalid JSON: ${parsed.error}` };
  if (!isJsonObject(parsed.value)) return { ok: false, detail: expected };
  return { ok: true, value: parsed.value };
}

/** Parses JSON without throwing: the error message becomes the rejection detail. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  // A field holding a deeply nested value would overflow the stack in whatever shows it later
  // (a 52 KB JSONL line of 10,500 levels stopped the reading of its whole file).
  if (jsonDepthExceeds(text)) return { ok: false, error: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: errorMessage(e) };
  }
}
