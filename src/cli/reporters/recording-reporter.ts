/**
 * Passes events to the visible reporter and keeps the run info and every snapshot, which is what
 * the report writer needs for the time series; commands wrap their reporter in it.
 */
import type { MetricsSnapshot, Reporter, RunInfo, RunSummary } from './reporter.js';

export class RecordingReporter implements Reporter {
  private readonly recorded: MetricsSnapshot[] = [];
  private readonly warningsSeen: string[] = [];
  private runInfo: RunInfo | null = null;

  constructor(private readonly inner: Reporter) {}

  get info(): RunInfo | null {
    return this.runInfo;
  }

  get snapshots(): readonly MetricsSnapshot[] {
    return this.recorded;
  }

  get warnings(): readonly string[] {
    return this.warningsSeen;
  }

  started(info: RunInfo): void {
    this.runInfo = info;
    this.inner.started(info);
  }

  tick(snapshot: MetricsSnapshot): void {
    this.recorded.push(snapshot);
    this.inner.tick(snapshot);
  }

  warning(message: string): void {
    this.warningsSeen.push(message);
    this.inner.warning(message);
  }

  finished(summary: RunSummary): Promise<void> | void {
    return this.inner.finished(summary);
  }
}
