/**
 * Inputs for the fuzz targets in src/fuzz: random text and bytes, and real fixture lines of every
 * format with the damage real feeds carry (flipped, inserted and deleted characters, swapped and
 * cut fields, control characters, odd numbers, open quotes, deep nesting, lines at the length
 * cap, mixed line ends, invalid UTF-8, shuffled and duplicated lines).
 *
 * An input is kept as text plus byte edits rather than as bytes so that a counterexample printed
 * by fast-check can still be read, and so that shrinking works on the edits.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { InputFormat } from '../formats/input-format.js';
import { DEFAULT_MAX_LINE_LENGTH } from '../formats/line-splitter.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export interface SeedFile {
  readonly name: string;
  readonly format: InputFormat;
  /** Data lines (without the header and footer). */
  readonly lines: readonly string[];
  /** CSV header row, or the opening line of an AISHub document. */
  readonly header: string | null;
  /** The closing line of an AISHub document. */
  readonly footer: string | null;
}

function seedFile(name: string, format: InputFormat, shape: 'lines' | 'header' | 'document'): SeedFile {
  const all = readFileSync(FIXTURES + name, 'utf8')
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => l !== '');
  if (shape === 'lines') return { name, format, lines: all, header: null, footer: null };
  if (shape === 'header') return { name, format, lines: all.slice(1), header: all[0] ?? null, footer: null };
  return { name, format, lines: all.slice(1, -1), header: all[0] ?? null, footer: all[all.length - 1] ?? null };
}

export const SEED_FILES: readonly SeedFile[] = [
  seedFile('harbour.nmea', 'nmea', 'lines'),
  seedFile('mixed.nmea', 'nmea', 'lines'),
  seedFile('ownship.nmea', 'nmea', 'lines'),
  seedFile('tagblock.nm4', 'nmea', 'lines'),
  seedFile('harbour.jsonl', 'jsonl', 'lines'),
  seedFile('harbour.aisstream.jsonl', 'aisstream', 'lines'),
  seedFile('harbour.aishub-0.json', 'aishub', 'document'),
  seedFile('harbour.aishub-1.json', 'aishub', 'document'),
  seedFile('harbour.noaa-2023.csv', 'noaa-csv', 'header'),
  seedFile('harbour.noaa-2024.csv', 'noaa-csv', 'header'),
  seedFile('harbour.dma.csv', 'dma-csv', 'header'),
];

/** Bytes spliced into the encoded text at a position. */
export type ByteEdit = readonly [at: number, bytes: readonly number[]];

export interface FuzzDoc {
  /** How the input was made, to read a counterexample by. */
  readonly origin: string;
  readonly text: string;
  /** Applied to the UTF-8 encoding of `text`. */
  readonly edits: readonly ByteEdit[];
  /** Raw bytes instead of text (random binary input). */
  readonly raw: Uint8Array | null;
}

const encoder = new TextEncoder();

export function docBytes(doc: FuzzDoc): Uint8Array {
  if (doc.raw !== null) return doc.raw;
  let out: Uint8Array = encoder.encode(doc.text);
  for (const [at, bytes] of doc.edits) {
    const i = at % (out.length + 1);
    out = Buffer.concat([out.subarray(0, i), Uint8Array.from(bytes), out.subarray(i)]);
  }
  return out;
}

/** The text every reader sees: what a UTF-8 decoder makes of the bytes (U+FFFD for bad bytes, BOM dropped). */
export function docText(doc: FuzzDoc): string {
  return new TextDecoder('utf-8').decode(docBytes(doc));
}

export interface LineCounts {
  /** Lines a LineSplitter yields (a last line without newline included). */
  readonly lines: number;
  /** Lines over the cap (CR before LF not counted). */
  readonly tooLong: number;
  /** Lines within the cap that hold only whitespace. */
  readonly blank: number;
}

/** What a LineSplitter must make of `text`, counted independently of it. */
export function lineCounts(text: string, maxLineLength: number = DEFAULT_MAX_LINE_LENGTH): LineCounts {
  const segments = text.split('\n');
  if (segments[segments.length - 1] === '') segments.pop();
  let tooLong = 0;
  let blank = 0;
  for (const s of segments) {
    const body = s.endsWith('\r') ? s.slice(0, -1) : s;
    if (body.length > maxLineLength) tooLong++;
    else if (body.trim() === '') blank++;
  }
  return { lines: segments.length, tooLong, blank };
}

/** The lines a LineSplitter yields for `text`, with CR before LF removed, for running parsers directly. */
export function splitLikeReader(text: string, maxLineLength: number = DEFAULT_MAX_LINE_LENGTH): Array<{ line: string; lineNo: number; tooLong: boolean }> {
  const segments = text.split('\n');
  if (segments[segments.length - 1] === '') segments.pop();
  return segments.map((s, i) => {
    const body = s.endsWith('\r') ? s.slice(0, -1) : s;
    return body.length > maxLineLength ? { line: '', lineNo: i + 1, tooLong: true } : { line: body, lineNo: i + 1, tooLong: false };
  });
}

/** Splits `whole` at the given cut points (taken modulo its length), in order, no empty pieces. */
export function cutAt<T extends string | Uint8Array>(whole: T, cuts: readonly number[]): T[] {
  if (whole.length === 0) return [];
  const points = [...new Set(cuts.map((c) => c % whole.length))].filter((c) => c > 0).sort((a, b) => a - b);
  const out: T[] = [];
  let from = 0;
  for (const p of [...points, whole.length]) {
    out.push(whole.slice(from, p) as T);
    from = p;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mutations of one line

const CONTROL = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\u000b',
  '\f',
  '\r',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\ud800',
  '\udfff',
];
const STRUCTURAL = [',', '"', "'", '{', '}', '[', ']', ':', '\\', '*', '!', '$', '#', ';', '|', '\t', ' ', '.', '-', '+', 'e', 'E', 'x', '0', '9'];
const EXOTIC = ['é', 'ß', '中', '😀', '\u0301', 'İ', '٣', '５', '\u200b'];
const TOKENS = [
  'null',
  'true',
  'false',
  'NaN',
  'Infinity',
  '-1e400',
  '1e400',
  '""',
  '"',
  '{}',
  '[]',
  '\\"',
  '\\u0000',
  '\\ud800',
  ',,',
  '*00',
  '*ZZ',
  '!AIVDM,',
  '\\s:x,c:1*00\\',
  '$GPRMC,',
  '\r\n',
  '\n',
  '\r',
];
/** Numbers that are valid somewhere, or look valid to a lenient reader. */
const NUMBERS = [
  '0',
  '-0',
  '+5',
  '.5',
  '5.',
  '00012',
  '1e3',
  '1E+2',
  '1e-400',
  '1e308',
  '1e309',
  '-1e400',
  '5e-324',
  '1.7976931348623157e308',
  '0x1A',
  '0X7FFFFFFF',
  '0b101',
  '0o17',
  '1_000',
  'Infinity',
  '-Infinity',
  'NaN',
  '4294967296',
  '-2147483649',
  '9007199254740993',
  '123456789012345678901234567890',
  '9'.repeat(400),
  '٣',
  '５',
  ' 7 ',
  '1,5',
  '"12"',
  '"0x1A"',
  '"1e3"',
  'null',
  'true',
  '[]',
  '{}',
];

const NUMBER_RE = /-?\d+(?:\.\d+)?/g;

export type LineMutation =
  | { readonly op: 'flip'; readonly at: number; readonly ch: string }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'delete'; readonly at: number; readonly n: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'swap'; readonly i: number; readonly j: number; readonly sep: string }
  | { readonly op: 'number'; readonly k: number; readonly value: string }
  | { readonly op: 'nest'; readonly k: number; readonly depth: number; readonly shape: 'array' | 'object' }
  | { readonly op: 'wrap'; readonly depth: number; readonly shape: 'array' | 'object'; readonly closed: boolean }
  | { readonly op: 'pad'; readonly length: number; readonly filler: 'self' | 'x' | 'space' | 'wide' }
  | { readonly op: 'glue'; readonly times: number };

function nested(depth: number, shape: 'array' | 'object', inner: string, closed: boolean): string {
  const open = shape === 'array' ? '['.repeat(depth) : '{"a":'.repeat(depth);
  const close = shape === 'array' ? ']'.repeat(depth) : '}'.repeat(depth);
  return open + inner + (closed ? close : close.slice(0, Math.floor(depth / 2)));
}

function fill(line: string, length: number, filler: 'self' | 'x' | 'space' | 'wide'): string {
  if (line.length >= length) return line.slice(0, length);
  const unit = filler === 'self' ? (line === '' ? 'x' : line) : filler === 'x' ? 'x' : filler === 'space' ? ' ' : 'é😀';
  return (line + unit.repeat(Math.ceil((length - line.length) / unit.length) + 1)).slice(0, length);
}

/**
 * Mutations compound (a padded line glued 600 times is 150 M characters): each result is cut
 * here, well past the line cap, so one input cannot take the fuzzing process's memory.
 */
const MAX_MUTATED_LINE = 4 * DEFAULT_MAX_LINE_LENGTH + 1024;

export function mutateLine(line: string, m: LineMutation): string {
  const out = mutateOnce(line, m);
  return out.length > MAX_MUTATED_LINE ? out.slice(0, MAX_MUTATED_LINE) : out;
}

function mutateOnce(line: string, m: LineMutation): string {
  switch (m.op) {
    case 'flip': {
      const at = m.at % (line.length + 1);
      return line.slice(0, at) + m.ch + line.slice(at + 1);
    }
    case 'insert': {
      const at = m.at % (line.length + 1);
      return line.slice(0, at) + m.text + line.slice(at);
    }
    case 'delete': {
      const at = m.at % (line.length + 1);
      return line.slice(0, at) + line.slice(at + m.n);
    }
    case 'truncate':
      return line.slice(0, m.at % (line.length + 1));
    case 'swap': {
      const fields = line.split(m.sep);
      if (fields.length < 2) return line;
      const i = m.i % fields.length;
      const j = m.j % fields.length;
      const a = fields[i] as string;
      fields[i] = fields[j] as string;
      fields[j] = a;
      return fields.join(m.sep);
    }
    case 'number':
    case 'nest': {
      const found = [...line.matchAll(NUMBER_RE)];
      if (found.length === 0) return line;
      const hit = found[m.k % found.length] as RegExpMatchArray;
      const at = hit.index ?? 0;
      const value = m.op === 'number' ? m.value : nested(m.depth, m.shape, '1', true);
      return line.slice(0, at) + value + line.slice(at + hit[0].length);
    }
    case 'wrap':
      return nested(m.depth, m.shape, line, m.closed);
    case 'pad':
      return fill(line, m.length, m.filler);
    case 'glue':
      return line.repeat(Math.max(1, Math.min(m.times, Math.floor(MAX_MUTATED_LINE / Math.max(1, line.length)))));
  }
}

const CAP = DEFAULT_MAX_LINE_LENGTH;

/** Lengths on both sides of the line cap, and a few far beyond it. */
const padLength = fc.oneof(
  { arbitrary: fc.integer({ min: CAP - 3, max: CAP + 3 }), weight: 6 },
  { arbitrary: fc.integer({ min: CAP - 200, max: CAP + 200 }), weight: 3 },
  { arbitrary: fc.integer({ min: CAP + 201, max: 4 * CAP }), weight: 1 },
);

export interface MutationOptions {
  /** Deepest nesting put into a field value or wrapped around a line. */
  readonly maxDepth: number;
  /** Relative weight of the costly mutations (64 KiB lines, deep nesting, long glued lines). */
  readonly heavyWeight: number;
}

export const DEFAULT_MUTATION_OPTIONS: MutationOptions = { maxDepth: 5000, heavyWeight: 1 };

export function lineMutation(o: MutationOptions = DEFAULT_MUTATION_OPTIONS): fc.Arbitrary<LineMutation> {
  const depth = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 70 }), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: o.maxDepth }), weight: 1 });
  const shape = fc.constantFrom<'array' | 'object'>('array', 'object');
  const char = fc.oneof(fc.constantFrom(...CONTROL, ...STRUCTURAL, ...EXOTIC), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
  const light: Array<fc.WeightedArbitrary<LineMutation>> = [
    { weight: 6, arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(), ch: char }) },
    {
      weight: 5,
      arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...TOKENS), char, fc.string({ maxLength: 8 })) }),
    },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('swap' as const), i: fc.nat(), j: fc.nat(), sep: fc.constantFrom(',', ':', '\\', '*') }) },
    { weight: 5, arbitrary: fc.record({ op: fc.constant('number' as const), k: fc.nat(), value: fc.constantFrom(...NUMBERS) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...CONTROL) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constant('"') }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('glue' as const), times: fc.integer({ min: 2, max: 4 }) }) },
  ];
  const heavy: Array<fc.WeightedArbitrary<LineMutation>> = [
    { weight: 2, arbitrary: fc.record({ op: fc.constant('nest' as const), k: fc.nat(), depth, shape }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('wrap' as const), depth, shape, closed: fc.boolean() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('pad' as const),
        length: padLength,
        filler: fc.constantFrom<'self' | 'x' | 'space' | 'wide'>('self', 'x', 'space', 'wide'),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('glue' as const), times: fc.integer({ min: 5, max: 600 }) }) },
  ];
  const w = o.heavyWeight;
  return fc.oneof(...light, ...heavy.map((h) => ({ weight: h.weight * w, arbitrary: h.arbitrary })));
}

// ---------------------------------------------------------------------------------------------
// Documents

export type DocMutation =
  | { readonly op: 'duplicate'; readonly i: number; readonly times: number }
  | { readonly op: 'drop'; readonly i: number }
  | { readonly op: 'move'; readonly i: number; readonly j: number }
  | { readonly op: 'reverse' }
  | { readonly op: 'insertLine'; readonly i: number; readonly line: string }
  | { readonly op: 'keep'; readonly n: number };

function mutateDoc(lines: string[], m: DocMutation): string[] {
  if (lines.length === 0) return m.op === 'insertLine' ? [m.line] : lines;
  const i = (m.op === 'reverse' || m.op === 'keep' ? 0 : m.i) % lines.length;
  switch (m.op) {
    case 'duplicate':
      return [...lines.slice(0, i + 1), ...Array<string>(m.times).fill(lines[i] as string), ...lines.slice(i + 1)];
    case 'drop':
      return [...lines.slice(0, i), ...lines.slice(i + 1)];
    case 'move': {
      const out = [...lines];
      const [x] = out.splice(i, 1);
      out.splice(m.j % (out.length + 1), 0, x as string);
      return out;
    }
    case 'reverse':
      return [...lines].reverse();
    case 'insertLine':
      return [...lines.slice(0, i), m.line, ...lines.slice(i)];
    case 'keep':
      return lines.slice(0, m.n % (lines.length + 1));
  }
}

const docMutation: fc.Arbitrary<DocMutation> = fc.oneof(
  fc.record({ op: fc.constant('duplicate' as const), i: fc.nat(), times: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('drop' as const), i: fc.nat() }),
  fc.record({ op: fc.constant('move' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ op: fc.constant('reverse' as const) }),
  fc.record({
    op: fc.constant('insertLine' as const),
    i: fc.nat(),
    line: fc.oneof(fc.constantFrom('', ' ', '#', ',', ']', '[', '{', '}', '"', '\t'), fc.string({ maxLength: 40 })),
  }),
  fc.record({ op: fc.constant('keep' as const), n: fc.nat() }),
);

/** Line ends, LF most often; CR alone, doubled CR and LF CR are the broken ones. */
const lineEnd = fc.oneof(
  { arbitrary: fc.constant('\n'), weight: 8 },
  { arbitrary: fc.constant('\r\n'), weight: 4 },
  { arbitrary: fc.constantFrom('\r', '\n\n', '\r\r\n', '\n\r', '\r\n\r\n'), weight: 1 },
);

/** Bytes that are not valid UTF-8 (or are, but rarely expected: BOM, NUL, overlong forms). */
const INVALID_UTF8: ReadonlyArray<readonly number[]> = [
  [0xff],
  [0xfe],
  [0x80],
  [0xbf],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xef, 0xbb, 0xbf],
  [0x00],
  [0xf0, 0x9f, 0x98],
  [0x1f, 0x8b],
];
const byteEdit: fc.Arbitrary<ByteEdit> = fc.tuple(fc.nat(), fc.constantFrom(...INVALID_UTF8));
const byteEdits = fc.oneof({ arbitrary: fc.constant<ByteEdit[]>([]), weight: 4 }, { arbitrary: fc.array(byteEdit, { minLength: 1, maxLength: 4 }), weight: 1 });

function joinLines(lines: readonly string[], ends: readonly string[], finalEnd: boolean): string {
  let out = '';
  lines.forEach((l, i) => {
    out += l;
    if (i < lines.length - 1 || finalEnd) out += ends[i % ends.length] ?? '\n';
  });
  return out;
}

interface Window {
  readonly start: number;
  readonly count: number;
  readonly header: boolean;
  readonly footer: boolean;
}

function windowOf(file: SeedFile, w: Window): string[] {
  const start = w.start % Math.max(1, file.lines.length);
  const body = file.lines.slice(start, start + w.count);
  return [...(w.header && file.header !== null ? [file.header] : []), ...body, ...(w.footer && file.footer !== null ? [file.footer] : [])];
}

const windowArb = (maxLines: number): fc.Arbitrary<Window> =>
  fc.record({
    start: fc.nat(),
    count: fc.integer({ min: 1, max: maxLines }),
    header: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
    footer: fc.boolean(),
  });

/** Applies line mutations to random lines of the window. */
function applyLineMutations(lines: string[], edits: ReadonlyArray<readonly [number, LineMutation]>): string[] {
  const out = [...lines];
  if (out.length === 0) return out;
  for (const [i, m] of edits) {
    const k = i % out.length;
    out[k] = mutateLine(out[k] as string, m);
  }
  return out;
}

/** A window of real lines from one of `files`, mutated line by line and as a whole. */
export function mutatedDoc(files: readonly SeedFile[], o: MutationOptions = DEFAULT_MUTATION_OPTIONS): fc.Arbitrary<FuzzDoc> {
  return fc
    .record({
      file: fc.constantFrom(...files),
      window: windowArb(24),
      lineEdits: fc.array(fc.tuple(fc.nat(), lineMutation(o)), { maxLength: 6 }),
      docEdits: fc.array(docMutation, { maxLength: 3 }),
      ends: fc.array(lineEnd, { minLength: 1, maxLength: 4 }),
      finalEnd: fc.boolean(),
      edits: byteEdits,
    })
    .map(({ file, window, lineEdits, docEdits, ends, finalEnd, edits }) => {
      let lines = applyLineMutations(windowOf(file, window), lineEdits);
      for (const d of docEdits) lines = mutateDoc(lines, d);
      return { origin: `mutated ${file.name}`, text: joinLines(lines, ends, finalEnd), edits, raw: null };
    });
}

/** A JSON array of real JSON records (as posted to the HTTP API), mutated. */
export function mutatedJsonArray(files: readonly SeedFile[], o: MutationOptions = DEFAULT_MUTATION_OPTIONS): fc.Arbitrary<FuzzDoc> {
  const jsonFiles = files.filter((f) => f.format === 'jsonl' || f.format === 'aisstream' || f.format === 'aishub');
  return fc
    .record({
      picks: fc.array(fc.tuple(fc.constantFrom(...jsonFiles), fc.nat()), { minLength: 1, maxLength: 12 }),
      lineEdits: fc.array(fc.tuple(fc.nat(), lineMutation(o)), { maxLength: 4 }),
      sep: fc.constantFrom(',', ',\n', ' , ', ',\r\n'),
      outer: fc.array(fc.tuple(fc.nat(), lineMutation(o)), { maxLength: 2 }),
      edits: byteEdits,
    })
    .map(({ picks, lineEdits, sep, outer, edits }) => {
      const records = picks.map(([f, i]) => {
        const l = f.lines[i % f.lines.length] ?? '{}';
        return l.endsWith(',') ? l.slice(0, -1) : l;
      });
      const text = applyLineMutations([`[${applyLineMutations(records, lineEdits).join(sep)}]`], outer)[0] ?? '';
      return { origin: 'mutated JSON array', text, edits, raw: null };
    });
}

/** Characters that steer NMEA, CSV and JSON readers down their branches. */
const READER_CHARS = '!$\\*,:-.#"{}[] \t\r0123456789ABCDEFGHPVDMOIScgsnteE'.split('');

/** Fully random input: bytes, any text, reader-shaped noise, random JSON values. */
export function randomDoc(): fc.Arbitrary<FuzzDoc> {
  const text =
    (origin: string) =>
    (t: string): FuzzDoc => ({ origin, text: t, edits: [], raw: null });
  return fc.oneof(
    fc.uint8Array({ maxLength: 1500 }).map((raw): FuzzDoc => ({ origin: 'random bytes', text: '', edits: [], raw })),
    fc.string({ unit: 'binary', maxLength: 400 }).map(text('random text')),
    fc.string({ unit: 'grapheme', maxLength: 200 }).map(text('random graphemes')),
    fc.array(fc.string({ unit: fc.constantFrom(...READER_CHARS), maxLength: 120 }), { maxLength: 30 }).map((ls) => text('reader-shaped noise')(ls.join('\n'))),
    fc
      .array(
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        { maxLength: 10 },
      )
      .map((ls) => text('random JSON lines')(ls.join('\n'))),
  );
}

/** Any input, leaning on real lines of `own` (every seed file when omitted). */
export function fuzzDoc(own: InputFormat | null, o: MutationOptions = DEFAULT_MUTATION_OPTIONS): fc.Arbitrary<FuzzDoc> {
  const mine = own === null ? SEED_FILES : SEED_FILES.filter((f) => f.format === own);
  return fc.oneof({ arbitrary: mutatedDoc(mine, o), weight: 6 }, { arbitrary: mutatedDoc(SEED_FILES, o), weight: 2 }, { arbitrary: randomDoc(), weight: 2 });
}

/** Bodies for `application/json`: documents, arrays of records, JSON lines by mistake, noise. */
export function jsonBodyDoc(o: MutationOptions = DEFAULT_MUTATION_OPTIONS): fc.Arbitrary<FuzzDoc> {
  const json = SEED_FILES.filter((f) => f.format === 'jsonl' || f.format === 'aisstream' || f.format === 'aishub');
  const deep = fc
    .record({ depth: fc.integer({ min: 60, max: 200_000 }), shape: fc.constantFrom<'array' | 'object'>('array', 'object'), closed: fc.boolean() })
    .map(({ depth, shape, closed }): FuzzDoc => ({ origin: `nested ${depth}`, text: nested(depth, shape, '{}', closed), edits: [], raw: null }));
  return fc.oneof(
    { arbitrary: mutatedDoc(json, o), weight: 4 },
    { arbitrary: mutatedJsonArray(SEED_FILES, o), weight: 4 },
    { arbitrary: randomDoc(), weight: 2 },
    { arbitrary: deep, weight: 1 },
  );
}
