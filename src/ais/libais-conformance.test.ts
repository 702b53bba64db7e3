/**
 * libais conformance: libais's gpsd-compatible JSON (typeexamples.json, tagblock.json) against
 * our decode of the same sentences, over the fields both have. libais prints float32 values and
 * differs from gpsd and ITU-R M.1371-5 in a few places; each known difference is an explicit rule
 * below (documented in docs/gpsd-differences.md), everything else must agree.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS_MISSING, corpusAvailable, corpusPath } from '../testing/corpus.js';
import { toGpsdJson } from './gpsd-format.js';
import { NmeaDecoder, type SentenceMeta } from './nmea-decoder.js';
import type { AisMessage } from './types.js';

type Json = Record<string, unknown>;

interface Decoded {
  readonly msg: AisMessage;
  readonly meta: SentenceMeta;
  readonly json: Json;
}

function decodeFile(name: string): { decoded: Decoded[]; rejects: string[] } {
  const decoded: Decoded[] = [];
  const rejects: string[] = [];
  // libais prints each type 24 part on its own, so no merging here.
  const decoder = new NmeaDecoder(
    {
      message: (msg, meta) => decoded.push({ msg, meta, json: JSON.parse(toGpsdJson(msg)) as Json }),
      reject: (reason, detail, line) => rejects.push(`line ${line}: ${reason} (${detail})`),
    },
    { mergeType24: false },
  );
  readFileSync(corpusPath('libais', name), 'utf8')
    .split('\n')
    .forEach((line, i) => decoder.push(line, i + 1));
  decoder.flush();
  return { decoded, rejects };
}

function readJsonLines(name: string): Json[] {
  return readFileSync(corpusPath('libais', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Json);
}

/** libais's 6-bit table predates the standard's: value 31 is '-' (not '_') and 39 is '`' (not '\''). */
function toLibaisCharset(s: string): string {
  return s.replace(/_/g, '-').replace(/'/g, '`');
}

function numeric(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** float32 in libais: about 7 significant digits. */
function close(a: number, b: number, abs = 1e-4): boolean {
  return Math.abs(a - b) <= Math.max(abs, 1e-6 * Math.abs(a));
}

type Rule = (libais: unknown, ours: unknown, d: Decoded) => boolean;

const RULES: Record<string, Rule> = {
  // gpsd/aisctl print "n/a" / "fastleft" / "fastright" / a quoted value; libais null or a number.
  turn: (l, o) => (l === null ? o === '"n/a"' || o === 'n/a' : close(Number(l), Number(o), 0.006)),
  // libais prints the raw flag inverted (1 = no retransmission); M.1371-5: 1 = retransmitted.
  '6:retransmit': (l, o) => l === !o,
  // libais inverts the GNSS position status bit; M.1371-5: 1 = NOT the current GNSS position.
  '27:gnss': (l, o) => l === !o,
  // gpsd prints type 17 positions with one decimal; compare libais with the full-precision model.
  '17:lon': (l, _o, d) => d.msg.type === 17 && close(Number(l), d.msg.lon ?? 181),
  '17:lat': (l, _o, d) => d.msg.type === 17 && close(Number(l), d.msg.lat ?? 91),
  // libais divides the type 9 speed by 10; M.1371-5 sends type 9 speed in whole knots.
  '9:speed': (l, o) => Math.round(Number(l) * 10) === o,
  name: (l, o) => l === toLibaisCharset(String(o)),
  // libais words the ship-type legend differently ("Cargo, Hazardous category B").
  shiptype_text: () => true,
};

function compare(libais: Json[], decoded: Decoded[]): string[] {
  const problems: string[] = [];
  libais.forEach((want, i) => {
    const d = decoded[i];
    if (d === undefined) {
      problems.push(`record #${i} (type ${String(want.type)}): not decoded`);
      return;
    }
    for (const key of Object.keys(want)) {
      if (!(key in d.json)) continue;
      const l = want[key];
      const o = d.json[key];
      const rule = RULES[`${String(want.type)}:${key}`] ?? RULES[key];
      let ok: boolean;
      if (rule !== undefined) ok = rule(l, o, d);
      else if (typeof l === 'string' && typeof o === 'string') ok = l === o;
      else {
        const ln = numeric(l);
        const on = numeric(o);
        ok = ln !== null && on !== null ? close(ln, on) : JSON.stringify(l) === JSON.stringify(o);
      }
      if (!ok)
        problems.push(`record #${i} (type ${String(want.type)}, mmsi ${String(want.mmsi)}) "${key}": libais ${JSON.stringify(l)}, aisctl ${JSON.stringify(o)}`);
    }
  });
  return problems;
}

describe.skipIf(!corpusAvailable())('libais conformance', () => {
  if (!corpusAvailable()) {
    it.skip(CORPUS_MISSING, () => undefined);
    return;
  }

  it('typeexamples.nmea agrees with typeexamples.json on every shared field', () => {
    const { decoded, rejects } = decodeFile('typeexamples.nmea');
    const libais = readJsonLines('typeexamples.json');
    expect(rejects).toEqual([]);
    expect(decoded.map((d) => d.msg.type)).toEqual(libais.map((j) => j.type));
    const problems = compare(libais, decoded);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('tagblock.nmea agrees with tagblock.json, including station and receive time', () => {
    const { decoded, rejects } = decodeFile('tagblock.nmea');
    const libais = readJsonLines('tagblock.json');
    expect(rejects).toEqual([]);
    // libais emits messages in completion order, as we do.
    expect(decoded.map((d) => d.msg.mmsi)).toEqual(libais.map((j) => j.mmsi));
    const problems = compare(libais, decoded);
    expect(problems, problems.join('\n')).toEqual([]);
    libais.forEach((want, i) => {
      const d = decoded[i];
      expect(d?.meta.station).toBe(want.tagblock_station);
      expect(d?.meta.receivedAt).toBe(Date.parse(String(want.tagblock_timestamp)));
    });
  });
});
