import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitsToHex, firstInvalidChar, sbits, SIXBIT_VALUE, sixbitChar, sixbitText, ubits } from './sixbit.js';

/** Reference: the payload as a '0'/'1' string, built the slow obvious way. */
function bitString(payload: string): string {
  let s = '';
  for (const ch of payload) {
    let v = ch.charCodeAt(0) - 48;
    if (v > 40) v -= 8;
    s += v.toString(2).padStart(6, '0');
  }
  return s;
}

const armored = fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 60 }).map((vs) => vs.map(sixbitChar).join(''));

describe('6-bit armoring table', () => {
  it('maps 0..W to 0..39 and `..w to 40..63, everything else to -1', () => {
    expect(SIXBIT_VALUE['0'.charCodeAt(0)]).toBe(0);
    expect(SIXBIT_VALUE['W'.charCodeAt(0)]).toBe(39);
    expect(SIXBIT_VALUE['`'.charCodeAt(0)]).toBe(40);
    expect(SIXBIT_VALUE['w'.charCodeAt(0)]).toBe(63);
    for (const bad of ['X', '_', 'x', ' ', ',', '*', '!']) expect(SIXBIT_VALUE[bad.charCodeAt(0)]).toBe(-1);
    for (let v = 0; v < 64; v++) expect(SIXBIT_VALUE[sixbitChar(v).charCodeAt(0)]).toBe(v);
  });

  it('finds the first character outside the alphabet, including non-ASCII', () => {
    expect(firstInvalidChar('15RTgt0PAso;90TKcjM8h6g208CQ')).toBe(-1);
    expect(firstInvalidChar('15RTgX0P')).toBe(5);
    expect(firstInvalidChar('1é')).toBe(1);
    expect(firstInvalidChar('')).toBe(-1);
  });
});

describe('bit reader', () => {
  it('reads any unsigned field like the reference bit string', () => {
    fc.assert(
      fc.property(armored, fc.nat(400), fc.integer({ min: 1, max: 32 }), (p, start, width) => {
        const bits = bitString(p).padEnd(start + width, '0');
        expect(ubits(p, start, width)).toBe(parseInt(bits.slice(start, start + width), 2));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads signed fields as two's complement", () => {
    fc.assert(
      fc.property(armored, fc.nat(300), fc.integer({ min: 2, max: 30 }), (p, start, width) => {
        const bits = bitString(p)
          .padEnd(start + width, '0')
          .slice(start, start + width);
        const u = parseInt(bits, 2);
        expect(sbits(p, start, width)).toBe(bits.startsWith('1') ? u - 2 ** width : u);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads past the end as zeros', () => {
    expect(ubits('w', 0, 6)).toBe(63);
    expect(ubits('w', 3, 6)).toBe(0b111000);
    expect(ubits('w', 6, 20)).toBe(0);
  });
});

describe('6-bit text', () => {
  it('stops at the first @ and trims trailing spaces, keeping leading ones', () => {
    // " AB  @X" : space=32, A=1, B=2, @=0, X=24
    const p = [32, 1, 2, 32, 32, 0, 24].map(sixbitChar).join('');
    expect(sixbitText(p, 0, 7)).toBe(' AB');
  });
});

describe('hex dump', () => {
  it('rounds up to bytes and zeroes the bits past the count', () => {
    const p = 'wwww'; // 24 one-bits
    expect(bitsToHex(p, 0, 8)).toBe('ff');
    expect(bitsToHex(p, 0, 12)).toBe('fff0');
    expect(bitsToHex(p, 4, 3)).toBe('e0');
    expect(bitsToHex(p, 0, 0)).toBe('');
  });
});
