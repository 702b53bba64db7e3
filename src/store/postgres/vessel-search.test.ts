import { describe, expect, it } from 'vitest';
import { searchTerms } from './vessel-search.js';

describe('searchTerms', () => {
  it('a digit prefix is the range of 9-digit MMSIs that start with it, leading zeros included', () => {
    expect(searchTerms('2446')).toMatchObject({ mmsiFrom: 244_600_000, mmsiTo: 244_700_000, imo: -1 });
    expect(searchTerms('244660001')).toMatchObject({ mmsiFrom: 244_660_001, mmsiTo: 244_660_002 });
    expect(searchTerms('0023')).toMatchObject({ mmsiFrom: 2_300_000, mmsiTo: 2_400_000 });
    expect(searchTerms('9')).toMatchObject({ mmsiFrom: 900_000_000, mmsiTo: 1_000_000_000 });
    expect(searchTerms('EVER GIVEN')).toMatchObject({ mmsiFrom: -1, mmsiTo: -1, imo: -1 });
    expect(searchTerms('1234567890')).toMatchObject({ mmsiFrom: -1, mmsiTo: -1 });
  });

  it('seven digits, with or without IMO in front, are also an IMO number', () => {
    expect(searchTerms('9811000')).toMatchObject({ imo: 9_811_000, mmsiFrom: 981_100_000 });
    expect(searchTerms('IMO 9811000').imo).toBe(9_811_000);
    expect(searchTerms('imo9811000').imo).toBe(9_811_000);
    expect(searchTerms('98110001').imo).toBe(-1);
  });

  it('the LIKE pattern is upper-case with its wildcards and escape character escaped', () => {
    expect(searchTerms('  ever   given ').pattern).toBe('EVER GIVEN');
    expect(searchTerms('50%_off\\').pattern).toBe('50\\%\\_OFF\\\\');
  });
});
