import { describe, expect, it } from 'vitest';
import { checksumHex, nmeaChecksum } from './nmea-checksum.js';
import { TagBlockFields, parseEpoch, parseTagBlock } from './tag-block.js';

function tagBlock(fields: string, lower = false): string {
  let hex = checksumHex(nmeaChecksum(fields));
  if (lower) hex = hex.toLowerCase();
  return `\\${fields}*${hex}\\`;
}

function parse(line: string) {
  const out = new TagBlockFields();
  const ok = parseTagBlock(line, 0, line.length, out);
  return { ok, out };
}

describe('parseTagBlock', () => {
  it('reads station, time in seconds and the end of the block', () => {
    const line = '\\s:42809,c:1635731889,t:1635731965*6A\\!AIVDM,1,1,,,403t>B1vFhQr5`NonbBw?>G00<0n,0*7B';
    const { ok, out } = parse(line);
    expect(ok).toBe(true);
    expect(out.station).toBe('42809');
    expect(out.receivedAt).toBe(1635731889000);
    expect(out.groupId).toBeNull();
    expect(line.slice(out.end, out.end + 6)).toBe('!AIVDM');
  });

  it('treats large c: values as milliseconds and keeps decimals of seconds', () => {
    expect(parse(tagBlock('c:1635731889123')).out.receivedAt).toBe(1635731889123);
    expect(parse(tagBlock('c:1635731889.5')).out.receivedAt).toBe(1635731889500);
    expect(parse(tagBlock('c:1635731889')).out.receivedAt).toBe(1635731889000);
  });

  it('reads g: groups, including a block with only g:', () => {
    const first = parse('\\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\\');
    expect(first.ok).toBe(true);
    expect(first.out).toMatchObject({ groupNumber: 1, groupTotal: 2, groupId: '1604', station: 'rORBCOMM008' });
    const later = parse(tagBlock('g:2-2-27300'));
    expect(later.ok).toBe(true);
    expect(later.out).toMatchObject({ groupNumber: 2, groupTotal: 2, groupId: '27300', station: null, receivedAt: null });
  });

  it('accepts lower-case and single-digit checksums', () => {
    expect(parse(tagBlock('s:r3669961,c:1418169601', true)).ok).toBe(true);
    // XOR of "s:A" is 0x08: written "*8" by senders that drop the leading zero.
    expect(nmeaChecksum('s:A', 0, 3)).toBe(8);
    expect(parse('\\s:A*8\\').ok).toBe(true);
  });

  it('rejects a wrong checksum (pyais sample.ais lines have "*A" where the XOR is 7E)', () => {
    const { ok, out } = parse('\\g:1-2-73874,n:157036,s:r003669945,c:12415440354*A\\!AIVDM,1,1,,B,x,0*00');
    expect(ok).toBe(false);
    expect(out.detail).toContain('checksum');
  });

  it('rejects blocks without a checksum, without a closing backslash, or with bad values', () => {
    expect(parse('\\s:abc\\').ok).toBe(false);
    expect(parse('\\s:abc*00').ok).toBe(false);
    expect(parse(tagBlock('c:yesterday')).ok).toBe(false);
    expect(parse(tagBlock('g:1-2')).ok).toBe(false);
    expect(parse(tagBlock('g:3-2-7')).ok).toBe(false);
    expect(parse(tagBlock('s')).ok).toBe(false);
    expect(parse('\\s:abc*0x\\').ok).toBe(false);
  });

  it('ignores unknown parameters but resets between calls', () => {
    const out = new TagBlockFields();
    const a = tagBlock('s:one,n:12,q:u,d:dest');
    expect(parseTagBlock(a, 0, a.length, out)).toBe(true);
    expect(out.station).toBe('one');
    const b = tagBlock('n:13');
    expect(parseTagBlock(b, 0, b.length, out)).toBe(true);
    expect(out.station).toBeNull();
  });
});

describe('parseEpoch', () => {
  it('returns NaN for anything but a decimal number', () => {
    expect(parseEpoch('', 0, 0)).toBeNaN();
    expect(parseEpoch('12a', 0, 3)).toBeNaN();
    expect(parseEpoch('12.', 0, 3)).toBeNaN();
    expect(parseEpoch('-12', 0, 3)).toBeNaN();
  });
});
