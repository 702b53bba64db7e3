/**
 * A YAML (or JSON, which YAML 1.2 parses too) document read with its line numbers kept, and a
 * reader over its data that records problems instead of throwing. Knows no schema: the caller
 * (scenario.ts) says which keys and values are valid.
 *
 * Every problem carries the file, line and column, the field path, what was expected and what was
 * found, so a file with several mistakes is fixed in one round rather than one run per mistake.
 * Unknown keys are problems too, with a "did you mean", because a misspelt key silently ignored
 * falls back to a default nobody asked for.
 */
import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument, type Document } from 'yaml';

export type PathSeg = string | number;

export interface DocumentIssue {
  readonly file: string;
  /** Dotted field path, e.g. `load.steps[2].rate`; empty for the document itself. */
  readonly path: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly expected: string;
  readonly found: string;
}

export function formatIssue(i: DocumentIssue): string {
  const where = i.line === null ? i.file : `${i.file}:${i.line}:${i.column ?? 1}`;
  const field = i.path === '' ? '' : ` ${i.path}:`;
  return `${where}:${field} expected ${i.expected}, found ${i.found}`;
}

export function pathText(path: readonly PathSeg[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

/** A value as a problem report names it. */
export function describeFound(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/** The parsed text with what is needed to turn a field path back into a line and column. */
export interface YamlDocument {
  readonly file: string;
  /** Plain data (mappings as objects, sequences as arrays). */
  readonly data: unknown;
  readonly doc: Document;
  readonly lines: LineCounter;
}

export type YamlParseResult = { readonly ok: true; readonly document: YamlDocument } | { readonly ok: false; readonly issues: readonly DocumentIssue[] };

/** Parses YAML or JSON text; syntax errors (and duplicate keys) come back as issues. Pure (no I/O). */
export function parseYamlDocument(text: string, file: string): YamlParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { file, path: '', line: pos.line, column: pos.col, expected: 'valid YAML or JSON', found: e.message.split('\n')[0] ?? e.code };
      }),
    };
  }
  return { ok: true, document: { file, data: doc.toJS(), doc, lines } };
}

/**
 * Reads untyped data field by field, recording issues with their position instead of throwing.
 * Without a document (data built in code) issues carry the path only.
 */
export class DocumentReader {
  readonly issues: DocumentIssue[] = [];
  constructor(
    readonly file: string,
    private readonly document: YamlDocument | null = null,
  ) {}

  private position(path: readonly PathSeg[], keyOf: boolean): { line: number; column: number } | null {
    if (!this.document) return null;
    const { doc, lines } = this.document;
    // Walk up until a node exists: a missing field is reported at its parent mapping.
    for (let n = path.length; n >= 0; n--) {
      const prefix = path.slice(0, n);
      let offset: number | undefined;
      if (keyOf && n === path.length && n > 0) {
        const parent: unknown = n === 1 ? doc.contents : doc.getIn(prefix.slice(0, -1), true);
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === prefix[prefix.length - 1]);
          if (pair && isNode(pair.key)) offset = pair.key.range?.[0];
        }
      } else {
        const node: unknown = n === 0 ? doc.contents : doc.getIn(prefix, true);
        if (isNode(node)) offset = node.range?.[0];
      }
      if (offset !== undefined) {
        const p = lines.linePos(offset);
        return { line: p.line, column: p.col };
      }
    }
    return null;
  }

  /** `keyOf`: point at the key rather than its value (for keys that should not be there). */
  issue(path: readonly PathSeg[], expected: string, found: string, keyOf = false): void {
    const pos = this.position(path, keyOf);
    this.issues.push({ file: this.file, path: pathText(path), line: pos?.line ?? null, column: pos?.column ?? null, expected, found });
  }

  object(v: unknown, path: readonly PathSeg[], what = 'a mapping'): Record<string, unknown> | null {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    this.issue(path, what, describeFound(v));
    return null;
  }

  keys(obj: Record<string, unknown>, allowed: readonly string[], path: readonly PathSeg[]): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const close = allowed.map((a) => ({ a, d: editDistance(key.toLowerCase(), a.toLowerCase()) })).sort((x, y) => x.d - y.d)[0];
      const hint = close && close.d <= 2 ? ` (did you mean "${close.a}"?)` : '';
      this.issue([...path, key], `one of the keys ${allowed.join(', ')}${hint}`, `unknown key "${key}"`, true);
    }
  }

  string(obj: Record<string, unknown>, key: string, path: readonly PathSeg[], fallback?: string): string | null {
    const v = obj[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v === 'string' && v.trim() !== '') return v;
    this.issue([...path, key], 'a non-empty string', describeFound(v));
    return null;
  }

  oneOf<T extends string>(obj: Record<string, unknown>, key: string, options: readonly T[], path: readonly PathSeg[], fallback?: T): T | null {
    const v = obj[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
    this.issue([...path, key], `one of ${options.join(' | ')}`, describeFound(v));
    return null;
  }

  number(
    obj: Record<string, unknown>,
    key: string,
    path: readonly PathSeg[],
    opts: { min?: number; max?: number; integer?: boolean; fallback?: number; what?: string },
  ): number | null {
    const v = obj[key];
    if (v === undefined && opts.fallback !== undefined) return opts.fallback;
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (opts.min === undefined || v >= opts.min) &&
      (opts.max === undefined || v <= opts.max) &&
      (!opts.integer || Number.isInteger(v));
    if (ok) return v;
    const range = opts.min !== undefined && opts.max !== undefined ? ` from ${opts.min} to ${opts.max}` : opts.min !== undefined ? ` >= ${opts.min}` : '';
    this.issue([...path, key], opts.what ?? `${opts.integer ? 'an integer' : 'a number'}${range}`, describeFound(v));
    return null;
  }

  list(obj: Record<string, unknown>, key: string, path: readonly PathSeg[], what: string): unknown[] | null {
    const v = obj[key];
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    this.issue([...path, key], `a list of ${what}`, describeFound(v));
    return null;
  }
}
