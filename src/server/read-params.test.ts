import { describe, expect, it } from 'vitest';
import {
  parseBBoxParam,
  parseDistanceParam,
  parseDurationParam,
  parseMmsiList,
  parseSearchText,
  parseTimeBound,
  parseTimeRange,
  ReadParamError,
} from './read-params.js';

const NOW = Date.UTC(2024, 5, 1, 12);

/** The parameter a mistake is blamed on. */
function blamed(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ReadParamError) return err.parameter;
    throw err;
  }
  throw new Error('expected a ReadParamError');
}

describe('time bounds and ranges', () => {
  it('reads ISO times (no zone is UTC) and durations back from now', () => {
    expect(parseTimeBound('2024-06-01T08:00:00Z', NOW)).toBe(Date.UTC(2024, 5, 1, 8));
    expect(parseTimeBound('2024-06-01 08:00', NOW)).toBe(Date.UTC(2024, 5, 1, 8));
    expect(parseTimeBound('2024-06-01T10:00:00+02:00', NOW)).toBe(Date.UTC(2024, 5, 1, 8));
    expect(parseTimeBound('2024-06-01', NOW)).toBe(Date.UTC(2024, 5, 1));
    expect(parseTimeBound('6h', NOW)).toBe(NOW - 6 * 3_600_000);
    expect(parseTimeBound('7d', NOW)).toBe(NOW - 7 * 86_400_000);
    expect(parseTimeBound('1.5m', NOW)).toBe(NOW - 90_000);
    expect(parseTimeBound('1d12h', NOW)).toBe(NOW - 36 * 3_600_000);
    for (const bad of ['', 'yesterday', '6', '-6h', '2024-13-01', '2024-06-01T25:00']) expect(parseTimeBound(bad, NOW)).toBeNull();
  });

  it('defaults until to now and since to the default span; refuses empty, reversed and too long ranges by name', () => {
    expect(parseTimeRange({}, NOW, { defaultSpanMs: 3_600_000 })).toEqual({ fromMs: NOW - 3_600_000, toMs: NOW });
    expect(parseTimeRange({ since: '2h', until: '1h' }, NOW)).toEqual({ fromMs: NOW - 7_200_000, toMs: NOW - 3_600_000 });
    expect(blamed(() => parseTimeRange({}, NOW))).toBe('--since');
    expect(blamed(() => parseTimeRange({ since: 'soon' }, NOW))).toBe('--since');
    expect(blamed(() => parseTimeRange({ since: '1h', until: 'later' }, NOW))).toBe('--until');
    expect(blamed(() => parseTimeRange({ since: '1h', until: '2h' }, NOW))).toBe('--since');
    const api = { names: { since: 'since', until: 'until' }, maxSpanMs: 86_400_000 };
    expect(blamed(() => parseTimeRange({ since: '2d' }, NOW, api))).toBe('since');
    expect(() => parseTimeRange({ since: '2d' }, NOW, api)).toThrow(/at most 1 days: got 2 days/);
  });

  it('durations follow the one grammar: a unit is required', () => {
    expect(parseDurationParam('max_age', '10m')).toBe(600_000);
    expect(parseDurationParam('max_age', '1h30m')).toBe(5_400_000);
    expect(() => parseDurationParam('max_age', '90')).toThrow(/a unit is required: 90s\?/);
    expect(blamed(() => parseDurationParam('max_age', 'ten'))).toBe('max_age');
    expect(blamed(() => parseDurationParam('max_age', '0s'))).toBe('max_age');
  });
});

describe('other parameters', () => {
  it('bbox: W,S,E,N; W > E crosses the antimeridian; nonsense is refused', () => {
    expect(parseBBoxParam('--bbox', '3.5, 51.5, 4.5, 52.2')).toEqual({ west: 3.5, south: 51.5, east: 4.5, north: 52.2 });
    expect(parseBBoxParam('--bbox', '170,-10,-170,10')).toEqual({ west: 170, south: -10, east: -170, north: 10 });
    for (const bad of ['1,2,3', '1,2,3,4,5', 'a,2,3,4', '0,91,1,92', '181,0,1,1', '0,10,1,5', '0,,1,1'])
      expect(blamed(() => parseBBoxParam('--bbox', bad))).toBe('--bbox');
  });

  it('MMSI lists are de-duplicated and sorted', () => {
    expect(parseMmsiList('--mmsi', '244660002, 244660001,244660002')).toEqual([244660001, 244660002]);
    expect(blamed(() => parseMmsiList('--mmsi', '244660001,x'))).toBe('--mmsi');
    expect(blamed(() => parseMmsiList('--mmsi', ','))).toBe('--mmsi');
    expect(blamed(() => parseMmsiList('--mmsi', '1,2,3', 2))).toBe('--mmsi');
  });

  it('distances take units and a cap', () => {
    expect(parseDistanceParam('radius', '10km', 100_000)).toBe(10_000);
    expect(parseDistanceParam('radius', '5nm', 100_000)).toBe(9260);
    expect(parseDistanceParam('radius', '500', 100_000)).toBe(500);
    for (const bad of ['0', '200km', 'far', '-1km']) expect(blamed(() => parseDistanceParam('radius', bad, 100_000))).toBe('radius');
  });

  it('search text is 2 to 64 characters after collapsing whitespace', () => {
    expect(parseSearchText('q', '  ever   given ')).toBe('ever given');
    expect(blamed(() => parseSearchText('q', ' a '))).toBe('q');
    expect(blamed(() => parseSearchText('q', 'x'.repeat(65)))).toBe('q');
  });
});
