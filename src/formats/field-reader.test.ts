import { describe, expect, it } from 'vitest';
import { FieldProblems, csvNumber, jsonInteger, jsonNumber } from './field-reader.js';

function json(v: unknown, integer = false, required = false) {
  const p = new FieldProblems();
  const read = integer ? jsonInteger : jsonNumber;
  return { value: read({ f: v }, 'f', p, required), problem: p.first };
}

function csv(cell: string | undefined, integer = false, required = false) {
  const p = new FieldProblems();
  return { value: csvNumber(cell, 'F', p, required, integer), problem: p.first };
}

describe('jsonNumber', () => {
  it('takes JSON numbers and plain decimal strings', () => {
    expect(json(57.1152)).toEqual({ value: 57.1152, problem: null });
    expect(json('57.1152')).toEqual({ value: 57.1152, problem: null });
    expect(json('-8')).toEqual({ value: -8, problem: null });
    expect(json('1625826523')).toEqual({ value: 1625826523, problem: null });
  });

  it('reads absent, null and "" as not there', () => {
    expect(json(undefined)).toEqual({ value: null, problem: null });
    expect(json(null)).toEqual({ value: null, problem: null });
    expect(json('')).toEqual({ value: null, problem: null });
    expect(json('', false, true).problem).toEqual({ reason: 'missing_field', detail: 'missing field f' });
  });

  it.each([
    ['0x1A'],
    ['1e2'],
    ['1E2'],
    [' 12'],
    ['12 '],
    ['+12'],
    ['.5'],
    ['5.'],
    ['Infinity'],
    ['-Infinity'],
    ['NaN'],
    ['0b101'],
    ['0o7'],
    ['1_000'],
    ['12abc'],
    ['1'.repeat(400)],
  ])('refuses the string %j as malformed_record naming the field', (text) => {
    const r = json(text);
    expect(r.value).toBeNull();
    expect(r.problem?.reason).toBe('malformed_record');
    expect(r.problem?.detail).toMatch(/^field f: expected a number, got "/);
  });

  it('names the value it refuses', () => {
    expect(json('0x1A').problem?.detail).toBe('field f: expected a number, got "0x1A"');
  });

  it.each([[true], [false], [[1]], [{ v: 1 }], [Number.POSITIVE_INFINITY]])('refuses %j as malformed_record', (v) => {
    const r = json(v);
    expect(r.value).toBeNull();
    expect(r.problem?.reason).toBe('malformed_record');
    expect(r.problem?.detail).toMatch(/^field f: expected a number, got /);
  });

  it('integer fields refuse fractions, in numbers and strings', () => {
    expect(json(219063000, true)).toEqual({ value: 219063000, problem: null });
    expect(json('219063000', true)).toEqual({ value: 219063000, problem: null });
    expect(json('8.0', true)).toEqual({ value: 8, problem: null });
    expect(json(219063000.5, true)).toEqual({ value: null, problem: { reason: 'malformed_record', detail: 'field f: expected an integer, got 219063000.5' } });
    expect(json('1.5', true).problem?.detail).toBe('field f: expected an integer, got "1.5"');
  });
});

describe('csvNumber', () => {
  it('takes plain decimal cells; empty is null or missing_field', () => {
    expect(csv('26.09241')).toEqual({ value: 26.09241, problem: null });
    expect(csv('-80.04806')).toEqual({ value: -80.04806, problem: null });
    expect(csv('')).toEqual({ value: null, problem: null });
    expect(csv(undefined)).toEqual({ value: null, problem: null });
    expect(csv('', false, true).problem).toEqual({ reason: 'missing_field', detail: 'missing field F' });
  });

  it.each([['0x1A'], ['1e2'], [' 12'], ['12 '], ['+12'], ['Infinity'], ['NaN'], ['.5'], ['1'.repeat(400)]])('refuses %j', (cell) => {
    const r = csv(cell);
    expect(r.value).toBeNull();
    expect(r.problem?.reason).toBe('malformed_record');
    expect(r.problem?.detail).toMatch(/^field F: not a number: "/);
  });

  it('integer columns refuse fractions but take a .0 that some exports add', () => {
    expect(csv('8.0', true)).toEqual({ value: 8, problem: null });
    expect(csv('367752440', true)).toEqual({ value: 367752440, problem: null });
    expect(csv('70.5', true)).toEqual({ value: null, problem: { reason: 'malformed_record', detail: 'field F: not an integer: "70.5"' } });
  });
});
