import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { render } from 'ink-testing-library';
import type { MetricsSnapshot, RunInfo, RunSummary } from '../reporter.js';
import { RunView } from './run-view.js';
import { INITIAL_RUN_VIEW, reduceRunView, type RunViewState } from './run-view-state.js';
import { TuiReporter } from './tui-reporter.js';

const info: RunInfo = { command: 'load', name: 'sprint-targets', settings: { rate: 10000, duration: '60s' }, plannedMs: 70_000 };

const snapshot: MetricsSnapshot = {
  elapsedMs: 35_000,
  phase: 'measure',
  progress: 0.5,
  throughput: 9987,
  processed: 250_000,
  latency: { count: 250_000, p50: 1.21, p95: 4.52, p99: 12.3, p999: 30.1, max: 41, mean: 2 },
  deadlocks: 2,
  cacheHitRate: 0.971,
  dlqSize: 7,
  late: 5,
  dropped: 1,
  errors: 3,
  queued: 120,
  breakers: { redis: 'closed', postgres: 'half-open' },
  sourceQuality: { terrestrial: 0.98, satellite: 0.71 },
  extra: { writesExpected: 1000 },
};

const summary: RunSummary = {
  command: 'load',
  name: 'sprint-targets',
  startedAt: '2025-06-01T12:30:05.000Z',
  durationMs: 70_000,
  metrics: { throughput: 9950, p99: 12.3, deadlocks: 2 },
  gates: [
    { expression: 'p99<20ms', metric: 'p99', actual: 12.3, passed: true },
    { expression: 'deadlocks==0', metric: 'deadlocks', actual: 2, passed: false },
  ],
  details: {},
  reportFiles: ['reports/x.json'],
};

function stateAfter(events: Parameters<typeof reduceRunView>[1][]): RunViewState {
  return events.reduce(reduceRunView, INITIAL_RUN_VIEW);
}

describe('RunView (Ink)', () => {
  it('shows the header, progress, live figures, breakers and sources', () => {
    const state = stateAfter([
      { type: 'started', info },
      { type: 'tick', snapshot: { ...snapshot, throughput: 5000 } },
      { type: 'tick', snapshot },
      { type: 'warning', message: 'postgres slow' },
    ]);
    const { lastFrame, unmount } = render(<RunView state={state} />);
    const frame = lastFrame() ?? '';
    unmount();
    expect(frame).toContain('aisctl load sprint-targets');
    expect(frame).toContain('measure 35.0s / 1:10');
    expect(frame).toContain('rate 10000  duration 60s');
    expect(frame).toContain('50%');
    expect(frame).toMatch(/Throughput +9,987\/s +▅█/);
    expect(frame).toContain('p50 1.21 ms  p95 4.52 ms  p99 12.3 ms  p99.9 30.1 ms  max 41.0 ms');
    expect(frame).toContain('Processed   250,000');
    expect(frame).toMatch(/Deadlocks +2 +Cache hit 97\.1% +DLQ 7 +Queued 120/);
    expect(frame).toMatch(/Breakers +redis ● closed +postgres ● half-open/);
    expect(frame).toContain('late 5  dropped 1  errors 3');
    expect(frame).toContain('terrestrial 0.98  satellite 0.71');
    expect(frame).toContain('writesExpected 1,000');
    expect(frame).toContain('warning: postgres slow');
  });

  it('shows the summary and gate verdicts at the end', () => {
    const state = stateAfter([
      { type: 'started', info },
      { type: 'tick', snapshot },
      { type: 'finished', summary },
    ]);
    const { lastFrame, unmount } = render(<RunView state={state} />);
    const frame = lastFrame() ?? '';
    unmount();
    expect(frame).toContain('done');
    expect(frame).toContain('Summary (1:10)');
    expect(frame).toMatch(/throughput +9,950\/s/);
    expect(frame).toContain('PASS p99<20ms (actual 12.3 ms)');
    expect(frame).toContain('FAIL deadlocks==0 (actual 2)');
    expect(frame).toContain('FAIL (1 of 2 gates failed)');
    expect(frame).toContain('reports: reports/x.json');
  });

  it('titles a run by its command alone when --name is left at the default', () => {
    for (const [command, name] of [
      ['load', 'load'],
      ['stress deadlock', 'stress-deadlock'],
    ] as const) {
      const { lastFrame, unmount } = render(<RunView state={stateAfter([{ type: 'started', info: { ...info, command, name } }])} />);
      const frame = lastFrame() ?? '';
      unmount();
      expect(frame).toMatch(new RegExp(`^aisctl ${command} +starting`));
      expect(frame).not.toContain(`${command} ${name}`);
    }
  });

  it('shows p99 per tick as a sparkline beside the throughput one', () => {
    const lat = (p99: number) => ({ ...snapshot.latency, p99 });
    const state = stateAfter([
      { type: 'started', info },
      { type: 'tick', snapshot: { ...snapshot, phase: 'warmup', intervalLatency: { ...lat(0), count: 0 } } },
      { type: 'tick', snapshot: { ...snapshot, intervalLatency: lat(2) } },
      { type: 'tick', snapshot: { ...snapshot, intervalLatency: lat(16) } },
    ]);
    const { lastFrame, unmount } = render(<RunView state={state} />);
    const frame = lastFrame() ?? '';
    unmount();
    expect(frame).toMatch(/Throughput +9,987\/s +███\n/);
    expect(frame).toMatch(/p99 \/ tick +16\.0 ms +▁▂█\n/);
  });

  it('after the run, shows the run rate and leaves the partial last tick out of the sparkline', () => {
    const state = stateAfter([
      { type: 'started', info },
      { type: 'tick', snapshot: { ...snapshot, throughput: 2000 } },
      { type: 'tick', snapshot: { ...snapshot, throughput: 1998 } },
      { type: 'tick', snapshot: { ...snapshot, phase: 'done', throughput: 894 } },
      { type: 'finished', summary: { ...summary, metrics: { ...summary.metrics, throughput: 1999 } } },
    ]);
    expect(state.throughputHistory).toEqual([2000, 1998]);
    const { lastFrame, unmount } = render(<RunView state={state} />);
    const frame = lastFrame() ?? '';
    unmount();
    expect(frame).toMatch(/Throughput +1,999\/s +██ +run average/);
    expect(frame).not.toContain('894');
  });

  it('renders before the first tick', () => {
    const { lastFrame, unmount } = render(<RunView state={stateAfter([{ type: 'started', info }])} />);
    expect(lastFrame()).toContain('starting');
    unmount();
  });
});

/** Enough of a terminal for Ink: columns, rows, write, events. */
class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  columns = 120;
  rows = 40;
  written = '';
  write(chunk: string, cb?: () => void): boolean {
    this.written += chunk;
    cb?.();
    return true;
  }
}

describe('TuiReporter', () => {
  it('renders events to its terminal and leaves the final summary on screen', async () => {
    const term = new FakeTerminal();
    const r = new TuiReporter({ stream: term as unknown as NodeJS.WriteStream });
    r.started(info);
    r.tick(snapshot);
    r.warning('careful');
    await r.finished(summary);
    expect(r.viewState.summary).toEqual(summary);
    expect(term.written).toContain('sprint-targets');
    expect(term.written).toContain('FAIL (1 of 2 gates failed)');
  });

  it('finished() without started() does not hang', async () => {
    const term = new FakeTerminal();
    await new TuiReporter({ stream: term as unknown as NodeJS.WriteStream }).finished(summary);
    expect(term.written).toContain('Summary');
  });
});
