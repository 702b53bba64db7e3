import { describe, expect, it } from 'vitest';
import { parseTagBlock, TagBlockFields } from '../ais/tag-block.js';
import { createParser } from '../formats/create-parser.js';
import type { NormalizeOutcome } from '../normalize/normalize-outcome.js';
import { sendNumberOf, withSendNumber } from './send-number.js';
import { createTrafficGenerator } from './traffic-generator.js';

const T0 = Date.parse('2024-06-01T08:00:00Z');

describe('send numbers in the tag block', () => {
  const generator = createTrafficGenerator({
    vessels: 50,
    sources: ['rx1', 'rx2'],
    seed: 3,
    startTimeMs: T0,
    dupRate: 0.1,
    lateRate: 0,
    badRate: 0,
    tagTimeMs: true,
  });
  const sends = Array.from({ length: 400 }, (_, i) => generator.next(T0 + i * 100).lines);

  it('round-trips on every generated line, multi-sentence messages included', () => {
    expect(sends.some((lines) => lines.length > 1)).toBe(true);
    sends.forEach((lines, n) => {
      for (const line of lines) {
        const stamped = withSendNumber(line, n * 1000 + 7);
        expect(sendNumberOf(stamped)).toBe(n * 1000 + 7);
        const tb = new TagBlockFields();
        expect(parseTagBlock(stamped, 0, stamped.length, tb), tb.detail).toBe(true);
        expect(stamped.slice(tb.end)).toBe(line.slice(line.indexOf('\\', 1) + 1));
      }
    });
  });

  it('changes nothing the parser makes of the lines', () => {
    const read = (lines: readonly string[]): unknown[] => {
      const parser = createParser('nmea', { file: 'x', source: undefined, maxFutureMs: 60_000 });
      const out: unknown[] = [];
      const emit = (o: NormalizeOutcome): void => {
        out.push(...o.messages.map((m) => ({ ...m, origin: null })), o.rejection?.reason ?? null);
      };
      lines.forEach((l, i) => parser.parseLine(l, i + 1, T0 + 3_600_000, emit));
      return out;
    };
    const plain = sends.flat();
    const stamped = sends.flatMap((lines, n) => lines.map((l) => withSendNumber(l, n)));
    const expected = read(plain);
    expect(expected.filter((x) => x !== null).length).toBeGreaterThan(300);
    expect(read(stamped)).toEqual(expected);
  });

  it('is -1 for lines without one, and never mistakes another field for it', () => {
    expect(sendNumberOf('!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24')).toBe(-1);
    expect(sendNumberOf('\\s:rx1,c:1717228800000*5A\\!AIVDM,1,1,,A,1,0*00')).toBe(-1);
    expect(sendNumberOf('\\s:n:1,c:1*00\\!AIVDM')).toBe(-1);
    expect(sendNumberOf('\\n:12,s:rx1*00\\!AIVDM')).toBe(12);
    expect(sendNumberOf('\\s:rx1,n:*00\\!AIVDM')).toBe(-1);
    expect(sendNumberOf('\\s:rx1,n:12x*00\\!AIVDM')).toBe(-1);
    expect(sendNumberOf('\\s:rx1,n:12')).toBe(-1);
    expect(withSendNumber('!AIVDM,1,1,,A,1,0*00', 5)).toBe('!AIVDM,1,1,,A,1,0*00');
  });
});
