/**
 * Plain lines for CI logs and `--no-tui`: one compact line per tick, then a summary block with
 * the gate verdicts. Everything goes to one stream (stderr by default) so stdout stays free for
 * data. Colour only when asked (select-reporter decides from TTY and NO_COLOR): escape codes in a
 * CI log file are noise.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { BreakerState, MetricsSnapshot, Reporter, RunInfo, RunSummary } from './reporter.js';
import { formatCount, formatElapsed, formatMetric, formatMs, formatRate, formatRatio } from '../../harness/figure-format.js';

/** The part of a stream the reporters use; process.stderr fits, and so does a test double. */
export interface TextSink {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
}

export interface PlainReporterOptions {
  readonly stream?: TextSink;
  readonly color?: boolean;
}

export class PlainReporter implements Reporter {
  private readonly stream: TextSink;
  private readonly c: ChalkInstance;
  private info: RunInfo | null = null;

  constructor(opts: PlainReporterOptions = {}) {
    this.stream = opts.stream ?? process.stderr;
    this.c = new Chalk({ level: opts.color ? 1 : 0 });
  }

  private line(text: string): void {
    this.stream.write(`${text}\n`);
  }

  started(info: RunInfo): void {
    this.info = info;
    const settings = Object.entries(info.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const planned = info.plannedMs === null ? '' : ` (${formatElapsed(info.plannedMs)})`;
    this.line(this.c.bold(`aisctl ${info.command} ${info.name}${planned}`) + (settings ? ` ${settings}` : ''));
  }

  tick(s: MetricsSnapshot): void {
    this.line(formatTickLine(s, this.c));
  }

  warning(message: string): void {
    this.line(this.c.yellow(`warning: ${message}`));
  }

  finished(summary: RunSummary): Promise<void> {
    const c = this.c;
    const out: string[] = [];
    out.push(c.bold(`── ${summary.command} ${summary.name}: ${formatElapsed(summary.durationMs)} ──`));
    const entries = Object.entries(summary.metrics);
    const width = entries.reduce((w, [k]) => Math.max(w, k.length), 0);
    for (const [k, v] of entries) out.push(`  ${k.padEnd(width)}  ${formatMetric(k, v)}`);
    if (summary.gates.length > 0) {
      out.push(c.bold('gates:'));
      for (const g of summary.gates) {
        const mark = g.passed ? c.green('PASS') : c.red('FAIL');
        out.push(`  ${mark} ${g.expression}  (actual ${formatMetric(g.metric, g.actual)})`);
      }
      const failed = summary.gates.filter((g) => !g.passed).length;
      out.push(
        failed === 0 ? c.green(`result: PASS (${summary.gates.length} gates)`) : c.red(`result: FAIL (${failed} of ${summary.gates.length} gates failed)`),
      );
    }
    if (summary.reportFiles.length > 0) out.push(`reports: ${summary.reportFiles.join(', ')}`);
    // Resolve once the stream took the text, so the command can exit without truncating it.
    return new Promise((resolve) => {
      this.stream.write(`${out.join('\n')}\n`, () => resolve());
    });
  }

  /** The RunInfo passed to started(), for callers composing reporters. */
  get runInfo(): RunInfo | null {
    return this.info;
  }
}

function breakerText(name: string, state: BreakerState, c: ChalkInstance): string {
  const colour = state === 'closed' ? c.green : state === 'open' ? c.red : c.yellow;
  return `${name}=${colour(state)}`;
}

/** One line per tick; exported for the TUI's fallback and for tests. */
export function formatTickLine(s: MetricsSnapshot, c: ChalkInstance = new Chalk({ level: 0 })): string {
  const parts: string[] = [];
  const progress = s.progress === null ? '' : ` ${Math.round(s.progress * 100)}%`;
  parts.push(`${formatElapsed(s.elapsedMs).padStart(6)} ${s.phase}${progress}`);
  parts.push(formatRate(s.throughput));
  parts.push(`p50 ${formatMs(s.latency.p50)} p95 ${formatMs(s.latency.p95)} p99 ${formatMs(s.latency.p99)}`);
  parts.push(`deadlocks ${s.deadlocks > 0 ? c.red(formatCount(s.deadlocks)) : formatCount(s.deadlocks)}`);
  parts.push(`cache ${formatRatio(s.cacheHitRate)}`);
  parts.push(`dlq ${formatCount(s.dlqSize)}`);
  parts.push(`queued ${formatCount(s.queued)}`);
  const breakers = Object.entries(s.breakers);
  if (breakers.length > 0) parts.push(`breakers ${breakers.map(([n, st]) => breakerText(n, st, c)).join(' ')}`);
  const trouble = (n: number, label: string): string => (n > 0 ? c.yellow(`${label} ${formatCount(n)}`) : `${label} 0`);
  parts.push(`${trouble(s.late, 'late')} ${trouble(s.dropped, 'dropped')} ${s.errors > 0 ? c.red(`errors ${formatCount(s.errors)}`) : 'errors 0'}`);
  return parts.join(' | ');
}
