import { describe, expect, it } from 'vitest';
import { encodePositionsForBinaryCopy } from './copy-binary-encoder.js';
import type { KeyedPosition } from './position-batch.js';

const row = (over: Partial<KeyedPosition['row']> = {}, vesselId = 7): KeyedPosition => ({
  vesselId,
  row: { mmsi: 1, ts: 1700000000123, lat: 51.5, lon: -0.25, sog: null, cog: 12.5, heading: 90, navStatus: null, source: 'ais', score: 0.75, ...over },
});

describe('encodePositionsForBinaryCopy', () => {
  it('writes the binary COPY header, one 10-field tuple per row with -1 for nulls, and the trailer', () => {
    const b = encodePositionsForBinaryCopy([row()]) as Buffer;
    expect(b.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(b.readInt32BE(11)).toBe(0);
    expect(b.readInt32BE(15)).toBe(0);
    let o = 19;
    expect(b.readInt16BE(o)).toBe(10);
    o += 2;
    const field = (): Buffer | null => {
      const len = b.readInt32BE(o);
      o += 4;
      if (len < 0) return null;
      const v = b.subarray(o, o + len);
      o += len;
      return v;
    };
    expect(field()?.readBigInt64BE()).toBe(7n);
    expect(field()?.readBigInt64BE()).toBe(1700000000123n);
    expect(field()?.readDoubleBE()).toBe(51.5);
    expect(field()?.readDoubleBE()).toBe(-0.25);
    expect(field()).toBeNull();
    expect(field()?.readFloatBE()).toBe(12.5);
    expect(field()?.readInt16BE()).toBe(90);
    expect(field()).toBeNull();
    expect(field()?.toString('utf8')).toBe('ais');
    expect(field()?.readFloatBE()).toBe(0.75);
    expect(b.readInt16BE(o)).toBe(-1);
    expect(b.length).toBe(o + 2);
  });

  it('handles large and negative int8 values, multi-byte sources and rounds smallint columns', () => {
    const b = encodePositionsForBinaryCopy([row({ ts: -1, heading: 89.6, source: 'stn-ø' }, 2 ** 40 + 5)]) as Buffer;
    expect(b.readBigInt64BE(19 + 2 + 4)).toBe(2n ** 40n + 5n);
    expect(b.readBigInt64BE(19 + 2 + 12 + 4)).toBe(-1n);
    expect(b.includes(Buffer.from('stn-ø', 'utf8'))).toBe(true);
  });

  it('declines rows whose smallint values the text format must report', () => {
    expect(encodePositionsForBinaryCopy([row({ heading: 40_000 })])).toBeNull();
    expect(encodePositionsForBinaryCopy([row({ navStatus: -40_000 })])).toBeNull();
  });
});
