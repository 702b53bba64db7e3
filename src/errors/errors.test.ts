import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/config.js';
import { FormatDetectionError } from '../formats/detect-format.js';
import { GateError } from '../harness/gates.js';
import { LoadShapeError } from '../harness/load-shape.js';
import { LocalServerError } from '../harness/local-servers.js';
import { ScenarioError } from '../harness/scenario.js';
import { DependencyError } from '../store/connections.js';
import { RedisLayoutError } from '../store/redis/layout-meta.js';
import { AisctlError, EXIT_ERROR } from './aisctl-error.js';
import { errorMessage } from './error-message.js';

describe('AisctlError', () => {
  it('is the base of every error the CLI reports in one line, with its exit code and own name', () => {
    const errors: Error[] = [
      new UsageError('u'),
      new GateError('p99<x', 'bad threshold'),
      new ScenarioError('s.yaml', [{ file: 's.yaml', path: 'rate', line: 1, column: 1, expected: 'a number', found: 'text' }]),
      new LoadShapeError('l'),
      new DependencyError('d'),
      new LocalServerError('s'),
      new RedisLayoutError('r'),
      new FormatDetectionError('f.txt'),
    ];
    const names = errors.map((e) => e.name);
    expect(names).toEqual([
      'UsageError',
      'GateError',
      'ScenarioError',
      'LoadShapeError',
      'DependencyError',
      'LocalServerError',
      'RedisLayoutError',
      'FormatDetectionError',
    ]);
    for (const e of errors) {
      expect(e).toBeInstanceOf(AisctlError);
      expect((e as AisctlError).exitCode).toBe(EXIT_ERROR);
    }
    expect(new TypeError('bug')).not.toBeInstanceOf(AisctlError);
  });
});

describe('errorMessage', () => {
  it('takes the message of anything thrown', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('text')).toBe('text');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(null)).toBe('null');
    expect(errorMessage({ message: 'plain object' })).toBe('plain object');
  });

  it('looks past an empty message: the first of an AggregateError, else the code, else the name', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    expect(errorMessage(new AggregateError([refused], ''))).toBe('connect ECONNREFUSED ::1:5432');
    expect(errorMessage(Object.assign(new Error(''), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(errorMessage(new RangeError(''))).toBe('RangeError');
  });
});
