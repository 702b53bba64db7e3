/**
 * The frame every measured command runs in: choose the reporter (TUI, plain or JSON), announce
 * the run, let the body do the work, evaluate the gates, write the JSON and Markdown reports,
 * print the summary, and turn the verdicts into the exit code (0 pass, 99 a gate failed).
 */
import type { Gate } from '../harness/gates.js';
import type { PercentilePoint } from '../metrics/latency-recorder.js';
import type { Reporter, RunInfo, RunSummary } from './reporters/reporter.js';
import { errorMessage } from '../errors/error-message.js';

export interface SessionOptions {
  readonly info: RunInfo;
  readonly gates: readonly Gate[];
  readonly json: boolean;
  readonly tui: boolean;
  readonly reportsDir: string;
}

export interface SessionResult {
  readonly metrics: Record<string, number>;
  readonly details: Record<string, unknown>;
  readonly distribution?: readonly PercentilePoint[];
}

export async function runSession(opts: SessionOptions, body: (reporter: Reporter) => Promise<SessionResult>): Promise<number> {
  const [{ createReporter }, { RecordingReporter }, { evaluateGates, exitCodeForVerdicts }, { writeRunReports }] = await Promise.all([
    import('./reporters/select-reporter.js'),
    import('./reporters/recording-reporter.js'),
    import('../harness/gates.js'),
    import('../harness/report-writer.js'),
  ]);
  const reporter = new RecordingReporter(await createReporter({ json: opts.json, tui: opts.tui }));
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  reporter.started(opts.info);
  const result = await body(reporter);
  const verdicts = evaluateGates(opts.gates, result.metrics);
  const summary: RunSummary = {
    command: opts.info.command,
    name: opts.info.name,
    startedAt,
    durationMs: performance.now() - t0,
    metrics: result.metrics,
    gates: verdicts,
    details: { settings: opts.info.settings, ...result.details },
    reportFiles: [],
  };
  let final = summary;
  try {
    const written = await writeRunReports(
      { info: opts.info, summary, snapshots: reporter.snapshots, ...(result.distribution ? { distribution: result.distribution } : {}) },
      opts.reportsDir,
    );
    final = written.summary;
  } catch (err) {
    reporter.warning(`could not write reports to ${opts.reportsDir}: ${errorMessage(err)}`);
  }
  await reporter.finished(final);
  return exitCodeForVerdicts(verdicts);
}
