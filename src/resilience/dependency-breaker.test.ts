import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BreakerOpenError, createDependencyBreaker, createDependencyBreakers, isBreakerOpenError } from './dependency-breaker.js';
import type { BreakerState } from './dependency-breaker.js';

const down = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
const poison = () => Promise.reject(Object.assign(new Error('invalid input'), { code: '22P02' }));
const ok = () => Promise.resolve('ok');

describe('dependency breaker (cockatiel)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens after N consecutive failures, refuses while open, probes half-open, closes on success', async () => {
    const b = createDependencyBreaker('postgres', { threshold: 3, halfOpenAfterMs: 5_000, callTimeoutMs: 0 });
    const seen: BreakerState[] = [];
    b.onStateChange((s) => seen.push(s));

    await expect(b.execute(down)).rejects.toThrow('ECONNREFUSED');
    await expect(b.execute(down)).rejects.toThrow('ECONNREFUSED');
    expect(b.state).toBe('closed');
    await expect(b.execute(down)).rejects.toThrow('ECONNREFUSED');
    expect(b.state).toBe('open');

    const fn = vi.fn(ok);
    const refused = await b.execute(fn).catch((e: unknown) => e);
    expect(isBreakerOpenError(refused)).toBe(true);
    expect(fn).not.toHaveBeenCalled();

    vi.advanceTimersByTime(5_000);
    let release: () => void = () => undefined;
    const probe = b.execute(() => new Promise<string>((res) => (release = () => res('probe ok'))));
    expect(b.state).toBe('half-open');
    release();
    await expect(probe).resolves.toBe('probe ok');
    expect(b.state).toBe('closed');
    expect(seen).toEqual(['open', 'half-open', 'closed']);
    expect(b.stats()).toMatchObject({ opens: 1, rejections: 1, failures: 3, successes: 1 });
  });

  it('a failed probe re-opens the circuit', async () => {
    const b = createDependencyBreaker('redis', { threshold: 1, halfOpenAfterMs: 1_000, callTimeoutMs: 0 });
    await expect(b.execute(down)).rejects.toThrow();
    vi.advanceTimersByTime(1_000);
    await expect(b.execute(down)).rejects.toThrow('ECONNREFUSED');
    expect(b.state).toBe('open');
    expect(b.stats().opens).toBe(2);
  });

  it('a success resets the consecutive count', async () => {
    const b = createDependencyBreaker('redis', { threshold: 2, callTimeoutMs: 0 });
    await expect(b.execute(down)).rejects.toThrow();
    await b.execute(ok);
    await expect(b.execute(down)).rejects.toThrow();
    expect(b.state).toBe('closed');
  });

  it('data rejected by a healthy dependency does not open the circuit', async () => {
    const b = createDependencyBreaker('postgres', { threshold: 2, callTimeoutMs: 0 });
    for (let i = 0; i < 5; i++) await expect(b.execute(poison)).rejects.toThrow('invalid input');
    expect(b.state).toBe('closed');
  });

  it('a call that hangs past the timeout counts as a failure', async () => {
    const b = createDependencyBreaker('redis', { threshold: 1, callTimeoutMs: 100 });
    const hung = b.execute(() => new Promise<never>(() => undefined));
    const settled = hung.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await settled).toBeInstanceOf(Error);
    expect(b.state).toBe('open');
  });

  it('isolate holds the circuit open; the pair reports both states', async () => {
    const pair = createDependencyBreakers({ redis: { callTimeoutMs: 0 } });
    const changes: string[] = [];
    pair.onStateChange((s, name) => changes.push(`${name}:${s}`));
    const release = pair.redis.isolate();
    expect(pair.states()).toEqual({ redis: 'open', postgres: 'closed' });
    await expect(pair.redis.execute(ok)).rejects.toSatisfy(isBreakerOpenError);
    release();
    expect(pair.states()).toEqual({ redis: 'closed', postgres: 'closed' });
    expect(changes).toEqual(['redis:open', 'redis:closed']);
  });

  it("an open circuit's refusal names the failure that opened it", async () => {
    const b = createDependencyBreaker('postgres', { threshold: 1, halfOpenAfterMs: 5_000, callTimeoutMs: 0 });
    const failed: unknown[] = [];
    b.onFailure((e) => failed.push(e));
    // node-postgres' DatabaseError: a SQLSTATE and a severity.
    const duplicate = () => Promise.reject(Object.assign(new Error('prepared statement "q1" already exists'), { code: '42P05', severity: 'ERROR' }));
    await expect(b.execute(poison)).rejects.toThrow('invalid input');
    expect(b.stats().lastFailure).toBeNull(); // data refused by a healthy server says nothing about the server
    await expect(b.execute(duplicate)).rejects.toThrow('already exists');
    const refused = await b.execute(ok).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BreakerOpenError);
    expect(isBreakerOpenError(refused)).toBe(true);
    expect((refused as Error).message).toBe('postgres circuit breaker is open (last failure: 42P05 prepared statement "q1" already exists)');
    expect(b.stats().lastFailure).toBe('42P05 prepared statement "q1" already exists');
    expect(failed).toHaveLength(2); // the refusal was not a call
  });

  it('a circuit opened by hand names no failure', async () => {
    const b = createDependencyBreaker('redis', { callTimeoutMs: 0 });
    const release = b.isolate();
    const refused = await b.execute(ok).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'BreakerOpenError', lastFailure: null, message: 'redis circuit breaker is open' });
    release();
  });

  it('a throwing listener does not break execution', async () => {
    const b = createDependencyBreaker('redis', { threshold: 1, callTimeoutMs: 0 });
    b.onStateChange(() => {
      throw new Error('observer bug');
    });
    await expect(b.execute(down)).rejects.toThrow('ECONNREFUSED');
    expect(b.state).toBe('open');
  });
});
