/**
 * Reads typed fields out of a parsed JSON object or a CSV row and remembers the first problem,
 * so a parser can read every field straight through and then turn the first failure into a
 * rejection that names the field.
 */
import type { Origin, Rejection, RejectionReason } from '../normalize/message.js';

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
  const text = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/** A number field of a JSON object: absent/null -> null (or missing_field if required). */
export function jsonNumber(obj: JsonObject, key: string, p: FieldProblems, required = false, label = key): number | null {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (required) p.missing(label);
    return null;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  // Some feeds quote numbers ("TIME":"1625826523"); accept a plain numeric string.
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  p.malformed(label, `expected a number, got ${show(v)}`);
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

/** A CSV cell as a number: empty -> null, unparseable -> problem naming the column. */
export function csvNumber(cell: string | undefined, column: string, p: FieldProblems, required = false): number | null {
  if (cell === undefined || cell.trim() === '') {
    if (required) p.missing(column);
    return null;
  }
  const v = Number(cell);
  if (Number.isFinite(v)) return v;
  p.malformed(column, `not a number: ${show(cell)}`);
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
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
