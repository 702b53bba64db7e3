import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSerialSchedule } from './serial-schedule.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A run the test finishes by hand, so overlap and stop can be observed without real time. */
function manualRuns(): { run: () => Promise<number>; started: number; finish: (v: number | Error) => void } {
  const pending: Array<(v: number | Error) => void> = [];
  const state = {
    started: 0,
    run: (): Promise<number> => {
      state.started++;
      return new Promise<number>((resolve, reject) => pending.push((v) => (v instanceof Error ? reject(v) : resolve(v))));
    },
    finish: (v: number | Error): void => {
      const next = pending.shift();
      if (next === undefined) throw new Error('no run in progress');
      next(v);
    },
  };
  return state;
}

describe('startSerialSchedule', () => {
  it('runs at once, never two runs at a time, reports failures and goes on', async () => {
    const runs = manualRuns();
    const results: number[] = [];
    const errors: string[] = [];
    const s = startSerialSchedule(
      1_000,
      () => runs.run(),
      (r) => results.push(r),
      (e) => errors.push(String(e)),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.started).toBe(1);
    // Three intervals pass while the first run is still going: no second run starts.
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs.started).toBe(1);
    runs.finish(new Error('boom'));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual(['Error: boom']);
    // The ticks queued meanwhile run one after the other.
    expect(runs.started).toBe(2);
    runs.finish(7);
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([7]);
    expect(runs.started).toBe(3);
    runs.finish(8);
    const stopped = s.stop();
    await stopped;
    expect(results).toEqual([7, 8]);
  });

  it('stop waits for the run in progress and nothing runs afterwards', async () => {
    const runs = manualRuns();
    const results: number[] = [];
    const s = startSerialSchedule(
      1_000,
      () => runs.run(),
      (r) => results.push(r),
      () => undefined,
    );
    await vi.advanceTimersByTimeAsync(0);
    let done = false;
    const stopping = s.stop().then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    runs.finish(1);
    await stopping;
    expect(results).toEqual([1]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs.started).toBe(1);
  });
});
