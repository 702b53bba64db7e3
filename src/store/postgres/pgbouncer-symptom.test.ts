import { describe, expect, it } from 'vitest';
import { pgBouncerSymptom } from './pgbouncer-symptom.js';

const pgError = (code: string, message: string): Error => Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('pgBouncerSymptom', () => {
  it('names 42P05 and 26000, also when wrapped', () => {
    expect(pgBouncerSymptom(pgError('42P05', 'prepared statement "q1" already exists'))).toBe('42P05');
    expect(pgBouncerSymptom(pgError('26000', 'prepared statement "q1" does not exist'))).toBe('26000');
    expect(pgBouncerSymptom(new Error('batch failed', { cause: pgError('42P05', 'x') }))).toBe('42P05');
  });

  it('ignores other failures and survives a cyclic cause chain', () => {
    expect(pgBouncerSymptom(pgError('23505', 'duplicate key'))).toBeNull();
    expect(pgBouncerSymptom('42P05')).toBeNull();
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(pgBouncerSymptom(a)).toBeNull();
  });
});
