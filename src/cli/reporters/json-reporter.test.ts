import { describe, expect, it } from 'vitest';
import type { RunSummary } from './reporter.js';
import { JsonReporter } from './json-reporter.js';
import type { TextSink } from './plain-reporter.js';

class Capture implements TextSink {
  text = '';
  write(chunk: string, callback?: (error?: Error | null) => void): boolean {
    this.text += chunk;
    callback?.();
    return true;
  }
}

const summary: RunSummary = {
  command: 'stress-deadlock',
  name: 'deadlock-stress',
  startedAt: '2025-06-01T12:30:05.000Z',
  durationMs: 20_000,
  metrics: { deadlocks: 0, errors: 0 },
  gates: [{ expression: 'deadlocks==0', metric: 'deadlocks', actual: 0, passed: true }],
  details: { strategy: 'safe' },
  reportFiles: [],
};

describe('JsonReporter', () => {
  it('is silent during the run, warns on stderr, prints one JSON object on stdout at the end', async () => {
    const out = new Capture();
    const err = new Capture();
    const r = new JsonReporter({ out, err });
    r.started({ command: 'x', name: 'y', settings: {}, plannedMs: null });
    r.tick({} as never);
    expect(out.text).toBe('');
    r.warning('breaker redis open');
    expect(err.text).toBe('warning: breaker redis open\n');
    await r.finished(summary);
    expect(out.text.endsWith('\n')).toBe(true);
    expect(out.text.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(out.text)).toEqual(summary);
  });

  it('rejects when stdout fails (e.g. a closed pipe)', async () => {
    const r = new JsonReporter({
      out: { write: (_c: string, cb?: (e?: Error | null) => void) => (cb?.(new Error('EPIPE')), false) },
      err: new Capture(),
    });
    await expect(r.finished(summary)).rejects.toThrow('EPIPE');
  });
});
