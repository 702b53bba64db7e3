import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumHex, hexDigit, nmeaChecksum } from './nmea-checksum.js';

describe('nmeaChecksum', () => {
  it('matches checksums of real sentences and tag blocks', () => {
    const line = '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24';
    expect(checksumHex(nmeaChecksum(line, 1, line.indexOf('*')))).toBe('24');
    expect(nmeaChecksum('s:A')).toBe(8);
    expect(checksumHex(nmeaChecksum('c:1241544035'))).toBe('5C');
  });

  it('covers [start, end) only', () => {
    expect(nmeaChecksum('xAy', 1, 2)).toBe(65);
    expect(nmeaChecksum('abc', 2, 2)).toBe(0);
  });

  it('writes two upper-case digits that read back', () => {
    expect(checksumHex(0)).toBe('00');
    expect(checksumHex(0x0f)).toBe('0F');
    expect(checksumHex(0xa5)).toBe('A5');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), (n) => {
        const hex = checksumHex(n);
        return hex.length === 2 && hexDigit(hex.charCodeAt(0)) * 16 + hexDigit(hex.charCodeAt(1)) === n;
      }),
    );
  });

  it('hexDigit reads either case and refuses anything else', () => {
    expect([...'09afAF'].map((c) => hexDigit(c.charCodeAt(0)))).toEqual([0, 9, 10, 15, 10, 15]);
    expect([...'gG/:@`'].map((c) => hexDigit(c.charCodeAt(0)))).toEqual([-1, -1, -1, -1, -1, -1]);
  });
});
