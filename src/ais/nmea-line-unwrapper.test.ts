import { describe, expect, it } from 'vitest';
import { checksumHex, nmeaChecksum } from './nmea-checksum.js';
import { TrailerFields, parseGatehouse, parsePrefixTimestamp, parseTrailer } from './nmea-line-unwrapper.js';

describe('parseGatehouse', () => {
  it('reads the time and the checksum of the wrapped sentence', () => {
    const line = '$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17';
    expect(parseGatehouse(line, 0, line.length)).toEqual({
      receivedAt: Date.UTC(2008, 4, 9, 0, 0, 0, 10),
      sentenceChecksum: 0x09,
    });
  });

  it('refuses a wrapper with a bad checksum', () => {
    const line = '$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*18';
    expect(parseGatehouse(line, 0, line.length)).toBeNull();
  });

  it('keeps non-time records as wrappers without a time', () => {
    const body = 'PGHP,2,foo';
    const line = `$${body}*${checksumHex(nmeaChecksum(body))}`;
    expect(parseGatehouse(line, 0, line.length)).toEqual({ receivedAt: null, sentenceChecksum: null });
  });
});

describe('parseTrailer', () => {
  const out = new TrailerFields();

  it('reads USCG station and epoch time', () => {
    const t = ',s28089,d-103,T39.44353985,x147521,r08TPHI1,1242958962';
    expect(parseTrailer(t, 0, t.length, out)).toBe(true);
    expect(out.station).toBe('r08TPHI1');
    expect(out.receivedAt).toBe(1242958962000);
    expect(out.glued).toBe(-1);
  });

  it('reads the older b-station form', () => {
    const t = ',b003669794,1272412827';
    expect(parseTrailer(t, 0, t.length, out)).toBe(true);
    expect(out.station).toBe('b003669794');
  });

  it('ignores fields it does not know, and short numbers', () => {
    const t = ',s36310,d-081,T59.01777335,42';
    expect(parseTrailer(t, 0, t.length, out)).toBe(false);
    expect(parseTrailer('   ', 0, 3, out)).toBe(false);
  });

  it('finds a sentence glued after the checksum', () => {
    const line = '!AIVDM,2,2,1,A,88888888880,2*25!AIVDM,1,1,,A,33P;Tw0tjBQO22:E7dm66DrB20UP,0*2E';
    const at = line.indexOf('!', 1);
    expect(parseTrailer(line, at, line.length, out)).toBe(false);
    expect(out.glued).toBe(at);
  });

  it('reads a space-separated trailing timestamp in ms', () => {
    const t = ' 1635731889123';
    expect(parseTrailer(t, 0, t.length, out)).toBe(true);
    expect(out.receivedAt).toBe(1635731889123);
  });
});

describe('parsePrefixTimestamp', () => {
  it('reads epoch seconds, ms and ISO times', () => {
    expect(parsePrefixTimestamp('1635731889.25 ', 0, 14)).toBe(1635731889250);
    expect(parsePrefixTimestamp('1635731889123,', 0, 14)).toBe(1635731889123);
    const iso = '2021-11-01T00:00:01.5Z ';
    expect(parsePrefixTimestamp(iso, 0, iso.length)).toBe(Date.UTC(2021, 10, 1, 0, 0, 1, 500));
    const bracketed = '[2021-11-01 00:00:01] ';
    expect(parsePrefixTimestamp(bracketed, 0, bracketed.length)).toBe(Date.UTC(2021, 10, 1, 0, 0, 1));
  });

  it('returns null for other text', () => {
    expect(parsePrefixTimestamp('foo ', 0, 4)).toBeNull();
    expect(parsePrefixTimestamp('2021-13-01T00:00:01 ', 0, 20)).toBeNull();
    expect(parsePrefixTimestamp('', 0, 0)).toBeNull();
  });
});
