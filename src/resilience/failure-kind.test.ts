import { BrokenCircuitError, TaskCancelledError } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { classifyFailure, describeError } from './failure-kind.js';

function withCode(message: string, code: string, name = 'Error'): Error {
  const e = new Error(message) as Error & { code: string };
  e.code = code;
  e.name = name;
  return e;
}

describe('classifyFailure', () => {
  it('connection-level failures are unavailable', () => {
    expect(classifyFailure(withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).toBe('unavailable');
    expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(classifyFailure(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe('unavailable');
    expect(classifyFailure(withCode('terminating connection due to administrator command', '57P01'))).toBe('unavailable');
    expect(classifyFailure(withCode('deadlock detected', '40P01'))).toBe('unavailable');
    expect(classifyFailure(new BrokenCircuitError())).toBe('unavailable');
    expect(classifyFailure(new TaskCancelledError())).toBe('unavailable');
    const loading = new Error('LOADING Redis is loading the dataset in memory');
    loading.name = 'ReplyError';
    expect(classifyFailure(loading)).toBe('unavailable');
    expect(classifyFailure(new AggregateError([withCode('x', 'ECONNREFUSED'), withCode('y', 'ECONNREFUSED')]))).toBe('unavailable');
  });

  it('data refused by a healthy dependency is rejected', () => {
    expect(classifyFailure(withCode('invalid byte sequence for encoding "UTF8": 0x00', '22021'))).toBe('rejected');
    expect(classifyFailure(withCode('violates check constraint', '23514'))).toBe('rejected');
    const script = new Error('ERR user_script:1: bad argument');
    script.name = 'ReplyError';
    expect(classifyFailure(script)).toBe('rejected');
  });

  it('anything else is unknown', () => {
    expect(classifyFailure(new TypeError('x is not a function'))).toBe('unknown');
    expect(classifyFailure(withCode('relation does not exist', '42P01'))).toBe('unknown');
    expect(classifyFailure('string thrown')).toBe('unknown');
    expect(classifyFailure(null)).toBe('unknown');
  });

  it('describes errors on one line with their code', () => {
    expect(describeError(withCode('a\n  b', '22021'))).toBe('Error: a b [22021]');
    // node-postgres names every server error 'error'; its SQLSTATE leads instead, as in the server log.
    const pgError = Object.assign(withCode('prepared statement "q1" already exists', '42P05', 'error'), { severity: 'ERROR' });
    expect(describeError(pgError)).toBe('42P05 prepared statement "q1" already exists');
  });
});
