import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checksumHex, nmeaChecksum } from './nmea-checksum.js';
import { tagBlockPrefix, toSentences, type SentenceOptions } from './sentence-encoder.js';
import { encodePayload } from './payload-encoder.js';
import { NmeaDecoder, type SentenceMeta } from './nmea-decoder.js';
import type { AisMessage, StaticVoyageData } from './types.js';
import type { RejectionReason } from '../normalize/message.js';

function decodeLines(lines: readonly string[]): { messages: Array<{ msg: AisMessage; meta: SentenceMeta }>; rejects: RejectionReason[] } {
  const messages: Array<{ msg: AisMessage; meta: SentenceMeta }> = [];
  const rejects: RejectionReason[] = [];
  const d = new NmeaDecoder({ message: (msg, meta) => messages.push({ msg, meta }), reject: (r) => rejects.push(r) });
  lines.forEach((l, i) => d.push(l, i + 1));
  d.flush();
  return { messages, rejects };
}

const TYPE5: StaticVoyageData = {
  type: 5,
  repeat: 0,
  mmsi: 525200930,
  aisVersion: 2,
  imo: 9835915,
  callsign: 'YCKT2',
  shipName: 'AKRA 102',
  shipType: 80,
  toBow: 67,
  toStern: 33,
  toPort: 19,
  toStarboard: 1,
  epfd: 1,
  eta: { month: 9, day: 7, hour: 16, minute: 0 },
  draught: 4.2,
  destination: 'ID_MERAK',
  dte: 0,
};

function checksumOk(sentence: string): boolean {
  const star = sentence.lastIndexOf('*');
  return checksumHex(nmeaChecksum(sentence, 1, star)) === sentence.slice(star + 1, star + 3);
}

describe('toSentences', () => {
  it('writes one checksummed !AIVDM sentence for a short payload', () => {
    expect(toSentences('133i;RPP1DPEbcDMV@1r:Ow:2>`<', 0, { channel: 'B' })).toEqual(['!AIVDM,1,1,,B,133i;RPP1DPEbcDMV@1r:Ow:2>`<,0*41']);
  });

  it('splits long payloads, puts the fill bits on the last part only, and numbers the parts', () => {
    const { payload, fillBits } = encodePayload(TYPE5);
    const lines = toSentences(payload, fillBits, { seqId: 7 });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^!AIVDM,2,1,7,A,[0-W`-w]{60},0\*[0-9A-F]{2}$/);
    expect(lines[1]).toMatch(/^!AIVDM,2,2,7,A,[0-W`-w]{11},2\*[0-9A-F]{2}$/);
    for (const l of lines) expect(checksumOk(l)).toBe(true);
    const { messages, rejects } = decodeLines(lines);
    expect(rejects).toEqual([]);
    expect(messages.map((m) => m.msg)).toEqual([TYPE5]);
  });

  it('renders talker, VDO, empty channel and a custom part size', () => {
    const lines = toSentences('0'.repeat(30), 4, { talker: 'BS', own: true, channel: null, seqId: null, maxPayloadPerSentence: 10 });
    expect(lines.map((l) => l.slice(0, l.indexOf('*')))).toEqual(['!BSVDO,3,1,,,0000000000,0', '!BSVDO,3,2,,,0000000000,0', '!BSVDO,3,3,,,0000000000,4']);
  });

  it('writes tag blocks with s: and c: in seconds (or ms), checksummed', () => {
    const [line] = toSentences('133i;RPP1DPEbcDMV@1r:Ow:2>`<', 0, { tagBlock: { station: 'rTEST', time: 1_700_000_000_999 } });
    expect(line).toMatch(/^\\s:rTEST,c:1700000000\*[0-9A-F]{2}\\!AIVDM,1,1,,A,/);
    const fields = 's:rTEST,c:1700000000';
    expect(line).toContain(`*${checksumHex(nmeaChecksum(fields))}\\`);
    expect(tagBlockPrefix({ station: 'x', time: 1_700_000_000_123, timeUnit: 'ms' })).toMatch(/^\\s:x,c:1700000000123\*[0-9A-F]{2}\\$/);
    expect(tagBlockPrefix({})).toBe('');
  });

  it('groups multi-sentence messages with g: when asked; only the first part names station and time', () => {
    const { payload, fillBits } = encodePayload(TYPE5);
    const lines = toSentences(payload, fillBits, { seqId: 3, tagBlock: { station: 'base9', time: 1_600_000_000_000, group: true, groupId: 4242 } });
    expect(lines[0]).toMatch(/^\\g:1-2-4242,s:base9,c:1600000000\*[0-9A-F]{2}\\!AIVDM,2,1,3,A,/);
    expect(lines[1]).toMatch(/^\\g:2-2-4242\*[0-9A-F]{2}\\!AIVDM,2,2,3,A,/);
    const { messages, rejects } = decodeLines(lines);
    expect(rejects).toEqual([]);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.msg).toEqual(TYPE5);
    expect(messages[0]?.meta).toMatchObject({ station: 'base9', receivedAt: 1_600_000_000_000, sentenceCount: 2 });
  });

  it('decodes back for random payloads and options (property)', () => {
    const payloadArb = fc
      .array(fc.integer({ min: 0, max: 63 }), { minLength: 7, maxLength: 160 })
      .map((vs) => vs.map((v) => String.fromCharCode(v < 40 ? v + 48 : v + 56)).join(''));
    const optsArb: fc.Arbitrary<SentenceOptions> = fc.record({
      talker: fc.constantFrom('AI', 'AB', 'BS'),
      own: fc.boolean(),
      channel: fc.constantFrom('A' as const, 'B' as const, null),
      seqId: fc.integer({ min: 0, max: 9 }),
      maxPayloadPerSentence: fc.integer({ min: 20, max: 60 }),
      tagBlock: fc.record({ station: fc.constantFrom('s1', 'rNOAA'), time: fc.integer({ min: 1e12, max: 2e12 }), group: fc.boolean() }),
    });
    fc.assert(
      fc.property(payloadArb, fc.integer({ min: 0, max: 5 }), optsArb, (payload, fill, opts) => {
        const lines = toSentences(payload, fill, opts);
        for (const l of lines) {
          const bang = l.indexOf('!');
          expect(checksumOk(l.slice(bang))).toBe(true);
        }
        // Reassemble the payload as a receiver would: fields 6 of each part, fill of the last.
        const parts = lines.map((l) => l.slice(l.indexOf('!')).split(','));
        expect(parts.map((p) => p[5]).join('')).toBe(payload);
        expect(parts.at(-1)?.[6]?.charAt(0)).toBe(String(fill));
        expect(parts.every((p) => p[1] === String(lines.length))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
