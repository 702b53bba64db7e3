import { describe, expect, it } from 'vitest';
import { isNoAnswerYet, untilJetStreamAnswers, type RetryClock } from './jetstream-retry.js';

/** A clock that only moves when the code under test sleeps: no real time passes. */
function fakeClock(): RetryClock & { slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: (ms) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

const timeout = (): Error => Object.assign(new Error('TIMEOUT'), { code: 'TIMEOUT' });

describe('untilJetStreamAnswers', () => {
  it('tries again while the request times out, with growing waits, and returns the answer', async () => {
    const clock = fakeClock();
    let calls = 0;
    const notes: string[] = [];
    const r = await untilJetStreamAnswers('stream AIS_x', '127.0.0.1:4222', () => (++calls < 4 ? Promise.reject(timeout()) : Promise.resolve('info')), {
      clock,
      onRetry: (m) => notes.push(m),
    });
    expect(r).toBe('info');
    expect(calls).toBe(4);
    expect(clock.slept).toEqual([250, 500, 1000]);
    expect(notes[0]).toMatch(/^NATS 127\.0\.0\.1:4222: stream AIS_x: no answer yet \(TIMEOUT\); trying again in 250 ms$/);
  });

  it('gives up at the deadline with one line naming the server and the request', async () => {
    const clock = fakeClock();
    const p = untilJetStreamAnswers('lease bucket L_x', 'n1:4222', () => Promise.reject(timeout()), { clock, deadlineMs: 10_000 });
    await expect(p).rejects.toThrow(/^NATS n1:4222: lease bucket L_x: JetStream gave no answer in 10 s \(TIMEOUT\); is JetStream enabled/);
    // Never sleeps past the deadline.
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('rethrows an answer that says no at once', async () => {
    const clock = fakeClock();
    const refused = Object.assign(new Error('stream name already in use'), { code: '400', api_error: { code: 400, err_code: 10058 } });
    await expect(untilJetStreamAnswers('x', 's', () => Promise.reject(refused), { clock })).rejects.toBe(refused);
    expect(clock.slept).toEqual([]);
  });

  it('tells no answer from a refusal', () => {
    expect(isNoAnswerYet(timeout())).toBe(true);
    expect(isNoAnswerYet({ code: '503' })).toBe(true);
    expect(isNoAnswerYet({ code: '408' })).toBe(true);
    expect(isNoAnswerYet({ code: '500', api_error: { code: 503, err_code: 10008 } })).toBe(true);
    expect(isNoAnswerYet({ code: '404', api_error: { code: 404, err_code: 10059 } })).toBe(false);
    expect(isNoAnswerYet(new Error('boom'))).toBe(false);
    expect(isNoAnswerYet(null)).toBe(false);
    expect(isNoAnswerYet('TIMEOUT')).toBe(false);
  });
});
