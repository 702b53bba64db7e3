/**
 * Entry point. Only commander and the small modules whose defaults the options show
 * (program.ts) are imported eagerly: every command lives in its own module and is imported when it runs, so
 * `aisctl --version` does not pay for Ink, React or the drivers.
 */
import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { AisctlError, EXIT_ERROR, EXIT_OK, EXIT_USAGE } from '../errors/aisctl-error.js';
import { buildProgram, type CommandModule } from './program.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Exit codes are listed in errors/aisctl-error.ts and shown by `--help` of the measured commands. */
async function runCommand(load: () => Promise<CommandModule>, ...args: unknown[]): Promise<void> {
  try {
    const mod = await load();
    const code = await (mod.run as (...a: unknown[]) => Promise<number>)(...args);
    process.exitCode = code;
  } catch (err) {
    // Mistakes in arguments, gates, scenarios and shapes, and unreachable servers, are
    // AisctlErrors, reported as one line; anything else is a bug and keeps its stack. Both exit
    // 1 today, so CI tells an error apart from a failed gate (99).
    const expected = err instanceof AisctlError;
    const text = expected ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`aisctl: ${text}\n`);
    const code = expected ? err.exitCode : EXIT_ERROR;
    process.exitCode = code;
    // A driver that failed to connect can leave a reconnect or connect-timeout timer behind
    // (ioredis keeps one for seconds); the error is reported, so do not wait for it. The timer
    // is unref'd, so a process that is already done exits at once.
    setTimeout(() => process.exit(code), 200).unref();
  }
}

try {
  await buildProgram(pkg.version, runCommand).parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT_OK : EXIT_USAGE;
  } else {
    throw err;
  }
}
