/**
 * Property tests: whatever the input, the decoder never throws and accounts for every line
 * (message part, skipped, blank or rejected), and the sink sees exactly what the stats count.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusAvailable, corpusPath } from '../testing/corpus.js';
import { decodeStatsDiscrepancies, totalRejected } from './decode-stats.js';
import { NmeaDecoder, type NmeaDecoderOptions } from './nmea-decoder.js';

function realLines(): string[] {
  // A few genuine lines so the properties still exercise real payloads without the corpus.
  const builtIn = [
    '!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23',
    '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
    '!AIVDM,2,2,1,A,88888888880,2*25',
    '\\g:1-2-27300,n:636994,s:b003669710,c:1428621738*5F\\!SAVDM,2,1,2,B,55Mw@A7J1adAL@?;7WPl58F0U<h4pB222222220t1PN5553fN4g?`4iSp5Rc,0*26',
    '\\g:2-2-27300,n:636995*15\\!SAVDM,2,2,2,B,iP`88888880,2*5E',
    '$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17',
    '!AIVDM,1,1,,B,15NBj>PP1gG>1PVKTDTUJOv00<0M,0*09',
    '!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D',
    '!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40',
    '!AIVDM,1,1,,A,15B4FT5000JRP>PE6E68Nbkl0PS5,0*70,b003669794,1272412827',
    '$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6D',
    '# comment',
    '',
  ];
  if (!corpusAvailable()) return builtIn;
  const files = ['gpsd/sample.aivdm', 'formats/tagblock_nmea/test_data_20211101.nm4', 'pyais/mixed.txt', 'libais/tagblock.nmea'];
  const lines = [...builtIn];
  for (const f of files) {
    for (const l of readFileSync(corpusPath(f), 'utf8').split('\n')) if (!l.startsWith('#')) lines.push(l);
  }
  return lines;
}

const REAL = realLines();
const SENTENCES = REAL.filter((l) => l.includes('VDM') || l.includes('VDO'));

/** Decodes, checks the invariants, and returns what the sink saw. */
function decodeChecked(lines: readonly string[], options?: NmeaDecoderOptions) {
  const messages: string[] = [];
  let rejects = 0;
  const dec = new NmeaDecoder(
    {
      message: (msg, meta) => {
        expect(meta.line).toBeGreaterThanOrEqual(1);
        expect(meta.line).toBeLessThanOrEqual(lines.length);
        messages.push(JSON.stringify(msg));
      },
      reject: (reason, detail, line) => {
        expect(typeof reason).toBe('string');
        expect(typeof detail).toBe('string');
        expect(line).toBeGreaterThanOrEqual(1);
        expect(line).toBeLessThanOrEqual(lines.length);
        rejects++;
      },
    },
    options,
  );
  lines.forEach((l, i) => dec.push(l, i + 1));
  expect(decodeStatsDiscrepancies(dec.stats, dec.pendingFragments)).toEqual([]);
  dec.flush();
  expect(dec.pendingFragments).toBe(0);
  expect(decodeStatsDiscrepancies(dec.stats, 0)).toEqual([]);
  expect(dec.stats.lines).toBe(lines.length);
  expect(dec.stats.messages).toBe(messages.length);
  expect(totalRejected(dec.stats)).toBe(rejects);
  return { messages, rejects, stats: dec.stats };
}

/** Characters that drive the framing code down its branches. */
const NMEA_CHARS = '!$\\*,:-.# \t\r0123456789ABCDEFGHPVDMOIScgsnt'.split('');
const nmeaish = fc.string({ unit: fc.constantFrom(...NMEA_CHARS), maxLength: 90 });

describe('NmeaDecoder properties', () => {
  it('never throws on random bytes, and accounts for every line', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const lines = Buffer.from(bytes).toString('latin1').split('\n');
        decodeChecked(lines);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random printable and unicode lines', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 40 })), {
          maxLength: 50,
        }),
        (lines) => {
          decodeChecked(lines);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on NMEA-shaped noise', () => {
    fc.assert(
      fc.property(fc.array(nmeaish, { maxLength: 60 }), (lines) => {
        decodeChecked(lines, { maxPendingMessages: 4, fragmentTimeoutMs: 10 });
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on truncated and corrupted real sentences', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...SENTENCES), fc.nat(), fc.nat(), fc.constantFrom('', '*', ',', '\\', '!', 'x', '\r', '0*00'))
      .map(([line, a, b, insert]) => {
        const cut = a % (line.length + 1);
        const at = b % (cut + 1);
        return line.slice(0, at) + insert + line.slice(at + insert.length, cut);
      });
    fc.assert(
      fc.property(fc.array(fc.oneof(mutated, fc.constantFrom(...REAL)), { maxLength: 80 }), (lines) => {
        decodeChecked(lines);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on shuffled, duplicated and dropped real lines', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: REAL.length - 1 }), { maxLength: 300 }), fc.boolean(), (indices, nowFromCaller) => {
        const lines = indices.map((i) => REAL[i] ?? '');
        const messages: number[] = [];
        const dec = new NmeaDecoder({ message: () => messages.push(1), reject: () => undefined }, { maxPendingMessages: 8, fragmentTimeoutMs: 5_000 });
        lines.forEach((l, i) => (nowFromCaller ? dec.push(l, i + 1, i * 1000) : dec.push(l, i + 1)));
        expect(decodeStatsDiscrepancies(dec.stats, dec.pendingFragments)).toEqual([]);
        expect(dec.stats.messages).toBeLessThanOrEqual(dec.stats.sentences);
      }),
      { numRuns: 300 },
    );
  });

  it('duplicating every line never creates a message that the original feed does not contain', () => {
    const original = new Set(decodeChecked(REAL, { mergeType24: false }).messages);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: REAL.length, maxLength: REAL.length }), (times) => {
        const lines: string[] = [];
        REAL.forEach((l, i) => {
          for (let k = 0; k < (times[i] ?? 1); k++) lines.push(l);
        });
        const { messages } = decodeChecked(lines, { mergeType24: false });
        expect(new Set(messages)).toEqual(original);
      }),
      { numRuns: 20 },
    );
  });

  it('decodes a feed the same whether it is pushed with or without line endings', () => {
    const plain = decodeChecked(REAL).messages;
    const crlf = decodeChecked(REAL.map((l) => `${l}\r\n`)).messages;
    expect(crlf).toEqual(plain);
  });
});
