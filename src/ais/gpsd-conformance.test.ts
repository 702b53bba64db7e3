/**
 * gpsd conformance: every message of gpsd's test/sample.aivdm, framed by NmeaDecoder and rendered
 * by toGpsdJson, must equal gpsd's own decode (sample.aivdm.js.chk, `gpsdecode -j`) field by
 * field. Fields where aisctl deliberately follows ITU-R M.1371-5 instead of gpsd are listed in
 * DELIBERATE below with the value the standard gives; docs/gpsd-differences.md explains each.
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

/** Payload bits of a single-sentence message, decoded naively (independent of src/ais/sixbit.ts). */
function sentenceBits(sentence: string): string {
  const fields = sentence.split(',');
  const payload = fields[5] ?? '';
  const fill = Number((fields[6] ?? '0').charAt(0));
  let bits = '';
  for (const ch of payload) {
    let v = ch.charCodeAt(0) - 48;
    if (v > 40) v -= 8;
    bits += v.toString(2).padStart(6, '0');
  }
  return bits.slice(0, bits.length - fill);
}

/** gpsd's hex data with the bits past `bitCount` in the last byte cleared. */
function zeroPadBits(gpsdData: string): string {
  const [countText, hex = ''] = gpsdData.split(':');
  const bitCount = Number(countText);
  const used = bitCount % 8;
  if (used === 0 || hex.length < 2) return gpsdData;
  const last = parseInt(hex.slice(-2), 16) & ((0xff << (8 - used)) & 0xff);
  return `${countText}:${hex.slice(0, -2)}${last.toString(16).padStart(2, '0')}`;
}

/**
 * Fields where aisctl follows the standard: given gpsd's value, the sentence and our message,
 * return the value the standard requires (the test then expects exactly that).
 */
const DELIBERATE: Record<string, (gpsd: unknown, sentence: string) => unknown> = {
  // Type 26 ends with a 20-bit communication state (selector + 19 bits); gpsd never decodes it and prints 0.
  '26:radio': (_gpsd, sentence) => parseInt(sentenceBits(sentence).slice(-20), 2),
  // Bits past the data's bit count are not data: aisctl zeroes them (as gpsd itself does for type 8);
  // gpsd's type 25/26 dump leaks the first bits of the communication state into the last byte.
  '26:data': (gpsd) => zeroPadBits(String(gpsd)),
  '25:data': (gpsd) => zeroPadBits(String(gpsd)),
};

describe.skipIf(!corpusAvailable())('gpsd sample.aivdm conformance', () => {
  if (!corpusAvailable()) {
    it.skip(CORPUS_MISSING, () => undefined);
    return;
  }
  const sampleLines = readFileSync(corpusPath('gpsd', 'sample.aivdm'), 'utf8').split('\n');
  const expected = readFileSync(corpusPath('gpsd', 'sample.aivdm.js.chk'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Json);

  const decoded: Decoded[] = [];
  const rejects: string[] = [];
  const decoder = new NmeaDecoder({
    message: (msg, meta) => decoded.push({ msg, meta, json: JSON.parse(toGpsdJson(msg)) as Json }),
    reject: (reason, detail, line) => rejects.push(`line ${line}: ${reason} (${detail})`),
  });
  sampleLines.forEach((line, i) => decoder.push(line, i + 1));
  decoder.flush();

  it('yields one record per line of sample.aivdm.js.chk (97)', () => {
    expect(expected).toHaveLength(97);
    expect(decoded.map((d) => `${d.msg.type}/${d.msg.mmsi}`)).toEqual(expected.map((e) => `${String(e.type)}/${String(e.mmsi)}`));
  });

  it('matches gpsd field by field, except the documented deliberate differences', () => {
    const mismatches: string[] = [];
    let deliberateApplied = 0;
    expected.forEach((gpsd, i) => {
      const ours = decoded[i];
      if (ours === undefined) {
        mismatches.push(`record #${i} (type ${String(gpsd.type)}): missing`);
        return;
      }
      const sentence = sampleLines[ours.meta.line - 1] ?? '';
      const keys = new Set([...Object.keys(gpsd), ...Object.keys(ours.json)]);
      for (const key of keys) {
        const rule = DELIBERATE[`${String(gpsd.type)}:${key}`];
        let want: unknown = gpsd[key];
        if (rule !== undefined) {
          want = rule(want, sentence);
          deliberateApplied++;
        }
        const got = ours.json[key];
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          mismatches.push(
            `record #${i} (line ${ours.meta.line}, type ${String(gpsd.type)}, mmsi ${String(gpsd.mmsi)}) "${key}": ` +
              `expected ${JSON.stringify(want)}${rule === undefined ? '' : ` (standard; gpsd ${JSON.stringify(gpsd[key])})`}, got ${JSON.stringify(got)}`,
          );
        }
      }
    });
    expect(mismatches, mismatches.join('\n')).toEqual([]);
    expect(deliberateApplied).toBeGreaterThan(0);
  });

  it('renders the same key order as gpsd', () => {
    const orderDiffs = expected
      .map((gpsd, i) => ({ i, want: Object.keys(gpsd).join(','), got: Object.keys(decoded[i]?.json ?? {}).join(',') }))
      .filter((d) => d.want !== d.got)
      .map((d) => `record #${d.i}: expected ${d.want}\n  got ${d.got}`);
    expect(orderDiffs, orderDiffs.join('\n')).toEqual([]);
  });

  it('rejects nothing that gpsd decodes', () => {
    // sample.aivdm holds one fragment without its leading "!" and a type 24 part B without a part A;
    // whatever the framer says about those, no payload gpsd printed may be refused.
    const payloadRejects = rejects.filter((r) => /payload_too_short|bad_payload_char|unknown_type|bad_fill_bits/.test(r));
    expect(payloadRejects).toEqual([]);
  });
});
