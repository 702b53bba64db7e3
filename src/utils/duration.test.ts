import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AisctlError } from '../errors/aisctl-error.js';
import { DurationError, formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1m30s', 90_000],
    ['1h30m', 5_400_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['1.5s', 1_500],
    ['0s', 0],
    ['0ms', 0],
    [' 2m ', 120_000],
  ])('%s -> %d ms', (text, ms) => expect(parseDuration(text, 'x')).toBe(ms));

  it('refuses a bare number, whatever it is, and says what to write', () => {
    for (const bare of ['60', '0', '1.5', ' 60 ']) {
      expect(() => parseDuration(bare, '--lateness')).toThrow(`--lateness: ${bare.trim()} is ambiguous: write ${bare.trim()}s`);
    }
    // What YAML makes of `duration: 60`.
    expect(() => parseDuration(60, 'duration')).toThrow('duration: 60 is ambiguous: write 60s');
  });

  it.each(['', 'fast', '10x', '10sec', 's10', '1m30', 's', '-5s', '1e3s', '1 m', '5M', '1w', '.5s', '30s1m', '1s1s', '1m1m30s', '1ms1s'])(
    'refuses %j',
    (text) => {
      const err = (() => {
        try {
          parseDuration(text, '--duration');
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(DurationError);
      expect((err as DurationError).reason).toBe('malformed');
      expect((err as DurationError).message).toBe(`--duration: expected a duration such as 500ms, 30s, 5m, 1h, 1d or 1m30s, found '${text.trim()}'`);
    },
  );

  it('is an error the user can act on (one line, exit 1), not a bug', () => {
    expect(() => parseDuration('60', 'x')).toThrow(AisctlError);
    expect(() => parseDuration(Number.NaN, 'x')).toThrow(/expected a duration/);
  });

  it('any compound of units from largest to smallest adds up', () => {
    const units: [string, number][] = [
      ['d', 86_400_000],
      ['h', 3_600_000],
      ['m', 60_000],
      ['s', 1_000],
      ['ms', 1],
    ];
    fc.assert(
      fc.property(fc.array(fc.option(fc.nat({ max: 10_000 }), { nil: undefined }), { minLength: 5, maxLength: 5 }), (counts) => {
        const used = units.map(([u, ms], i) => [u, ms, counts[i]] as const).filter(([, , n]) => n !== undefined);
        if (used.length === 0) return true;
        const text = used.map(([u, , n]) => `${n}${u}`).join('');
        return parseDuration(text, 'x') === used.reduce((t, [, ms, n]) => t + (n ?? 0) * ms, 0);
      }),
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [5, '5ms'],
    [5_000, '5s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [300_000, '5m'],
    [93_784_005, '1d2h3m4s5ms'],
  ])('%d ms -> %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('reads back to the same milliseconds', () => {
    fc.assert(fc.property(fc.nat({ max: 10 * 86_400_000 }), (ms) => parseDuration(formatDuration(ms), 'x') === ms));
  });

  it('refuses what the grammar cannot write', () => {
    for (const bad of [-1, 1.5, Number.NaN]) expect(() => formatDuration(bad)).toThrow(RangeError);
  });
});
