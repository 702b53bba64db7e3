import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvField, splitCsvRecord } from './csv-record.js';

describe('splitCsvRecord', () => {
  it('splits plain rows, keeping empty fields', () => {
    expect(splitCsvRecord('a,b,,d,')).toEqual({ fields: ['a', 'b', '', 'd', ''], complete: true });
    expect(splitCsvRecord('')).toEqual({ fields: [''], complete: true });
  });

  it('handles quotes, embedded commas and doubled quotes', () => {
    expect(splitCsvRecord('1,"SAN JOSE, CA","say ""hi""",x').fields).toEqual(['1', 'SAN JOSE, CA', 'say "hi"', 'x']);
    expect(splitCsvRecord('"",""').fields).toEqual(['', '']);
    expect(splitCsvRecord('"a"').fields).toEqual(['a']);
    expect(splitCsvRecord('"a",').fields).toEqual(['a', '']);
  });

  it('reports an open quote as incomplete so the next line can be joined', () => {
    expect(splitCsvRecord('1,"two\nlines').complete).toBe(false);
    expect(splitCsvRecord('1,"two\nlines",3')).toEqual({ fields: ['1', 'two\nlines', '3'], complete: true });
  });

  it('round-trips any fields through csvField', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 8 }), (fields) => {
        const r = splitCsvRecord(fields.map(csvField).join(','));
        expect(r.complete).toBe(true);
        expect(r.fields).toEqual(fields);
      }),
    );
  });
});
