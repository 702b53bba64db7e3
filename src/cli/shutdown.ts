/**
 * SIGINT/SIGTERM handling shared by long-running commands: the first signal asks for a graceful
 * stop (stop intake, flush, drain); a second one runs the immediate path (spool what is left)
 * and exits at once.
 */
import { errorMessage } from '../errors/error-message.js';
import { EXIT_SIGINT, EXIT_SIGTERM } from '../errors/aisctl-error.js';

export interface ShutdownHandlers {
  graceful(): void;
  immediate(): Promise<void>;
}

export function installShutdown(handlers: ShutdownHandlers): { dispose(): void } {
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      handlers.graceful();
      return;
    }
    const code = sig === 'SIGINT' ? EXIT_SIGINT : EXIT_SIGTERM;
    handlers.immediate().then(
      () => process.exit(code),
      (err: unknown) => {
        process.stderr.write(`aisctl: could not spool pending work: ${errorMessage(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
