/**
 * Picks the sink for a command: JSON with --json, the Ink TUI on an interactive terminal, plain
 * lines otherwise (CI, pipes, --no-tui, TERM=dumb). Ink and React are imported only when the TUI
 * is chosen, so every other path starts without their ~0.5 s import cost.
 */
import type { Reporter } from './reporter.js';
import { JsonReporter } from './json-reporter.js';
import { PlainReporter } from './plain-reporter.js';

export type ReporterKind = 'json' | 'tui' | 'plain';

export interface ReporterChoice {
  readonly json: boolean;
  /** false with --no-tui. */
  readonly tui: boolean;
  /** The terminal stream progress goes to (default process.stderr; stdout stays for data). */
  readonly stream?: NodeJS.WriteStream;
  /** Defaults to process.env; injectable for tests. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Pure decision, so the rules are tested without a terminal. */
export function chooseReporterKind(choice: ReporterChoice): ReporterKind {
  if (choice.json) return 'json';
  const stream = choice.stream ?? process.stderr;
  const env = choice.env ?? process.env;
  if (choice.tui && stream.isTTY === true && env['TERM'] !== 'dumb') return 'tui';
  return 'plain';
}

/** https://no-color.org: any non-empty NO_COLOR disables colour; FORCE_COLOR=0 too. */
export function useColour(stream: NodeJS.WriteStream, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] === '0') return false;
  if (env['FORCE_COLOR'] !== undefined) return true;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

export async function createReporter(choice: ReporterChoice): Promise<Reporter> {
  const stream = choice.stream ?? process.stderr;
  const env = choice.env ?? process.env;
  switch (chooseReporterKind(choice)) {
    case 'json':
      return new JsonReporter({ err: stream });
    case 'tui': {
      const { TuiReporter } = await import('./tui/tui-reporter.js');
      return new TuiReporter({ stream });
    }
    case 'plain':
      return new PlainReporter({ stream, color: useColour(stream, env) });
  }
}
