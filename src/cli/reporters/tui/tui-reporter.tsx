/**
 * The Ink TUI sink. Loaded only through select-reporter's dynamic import: Ink and React cost
 * about half a second to import, which commands that do not show a TUI should not pay.
 */
import { render, type Instance } from 'ink';
import type { MetricsSnapshot, Reporter, RunInfo, RunSummary } from '../reporter.js';
import { INITIAL_RUN_VIEW, reduceRunView, type RunViewEvent, type RunViewState } from './run-view-state.js';
import { RunView } from './run-view.js';

export interface TuiReporterOptions {
  /** The terminal to draw on (default process.stderr, leaving stdout for data). */
  readonly stream?: NodeJS.WriteStream;
}

export class TuiReporter implements Reporter {
  private state: RunViewState = INITIAL_RUN_VIEW;
  private instance: Instance | null = null;
  private readonly stream: NodeJS.WriteStream;

  constructor(opts: TuiReporterOptions = {}) {
    this.stream = opts.stream ?? process.stderr;
  }

  get viewState(): RunViewState {
    return this.state;
  }

  private apply(event: RunViewEvent): void {
    this.state = reduceRunView(this.state, event);
    const tree = <RunView state={this.state} />;
    if (this.instance) {
      this.instance.rerender(tree);
    } else {
      // Ctrl+C stays with the command, which stops the scheduler and still writes the reports.
      this.instance = render(tree, { stdout: this.stream, exitOnCtrlC: false, patchConsole: false });
    }
  }

  started(info: RunInfo): void {
    this.apply({ type: 'started', info });
  }

  tick(snapshot: MetricsSnapshot): void {
    this.apply({ type: 'tick', snapshot });
  }

  warning(message: string): void {
    this.apply({ type: 'warning', message });
  }

  async finished(summary: RunSummary): Promise<void> {
    this.apply({ type: 'finished', summary });
    const instance = this.instance;
    this.instance = null;
    if (!instance) return;
    // Unmounting renders the final frame and leaves it on screen.
    instance.unmount();
    await instance.waitUntilExit();
  }
}
