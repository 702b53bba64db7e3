/**
 * `--json`: silent during the run except warnings (on stderr, so they never corrupt the output),
 * then the RunSummary as ONE JSON object on stdout, so `aisctl load --json | jq .metrics.p99` works.
 */
import type { MetricsSnapshot, Reporter, RunInfo, RunSummary } from './reporter.js';
import type { TextSink } from './plain-reporter.js';

export interface JsonReporterOptions {
  readonly out?: TextSink;
  readonly err?: TextSink;
}

export class JsonReporter implements Reporter {
  private readonly out: TextSink;
  private readonly err: TextSink;

  constructor(opts: JsonReporterOptions = {}) {
    this.out = opts.out ?? process.stdout;
    this.err = opts.err ?? process.stderr;
  }

  started(_info: RunInfo): void {}

  tick(_snapshot: MetricsSnapshot): void {}

  warning(message: string): void {
    this.err.write(`warning: ${message}\n`);
  }

  finished(summary: RunSummary): Promise<void> {
    // Resolve on the write callback: a piped stdout is asynchronous, and exiting early would cut the JSON.
    return new Promise((resolve, reject) => {
      this.out.write(`${JSON.stringify(summary)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }
}
