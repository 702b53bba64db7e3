/**
 * The base of every error aisctl expects and can explain in one line: a mistake in the arguments,
 * a gate, scenario or load shape, a server that cannot be reached, a layout that disagrees. The
 * CLI entry point tells these apart from bugs with `instanceof`: an AisctlError is printed as its
 * message and exits with `exitCode`; anything else keeps its stack. Kept free of imports so
 * every layer that reports such errors can extend it (the pure decoding layers throw none).
 */

/** The exit codes of every command, here so that `--help` and the code that exits agree. */
export const EXIT_OK = 0;
/** An error the user can act on: arguments, dependency, I/O. 99 (a failed gate) is a result, never thrown. */
export const EXIT_ERROR = 1;
/** Commander's own: an unknown command or option, a missing argument. */
export const EXIT_USAGE = 2;
/** `aisctl ingest`: some messages could be neither stored nor dead-lettered, so data was lost, unlike exit 1. */
export const EXIT_NOT_STORED = 3;
/** A gate of `load`, `stress` or `run` failed: the run itself completed. */
export const EXIT_GATE_FAILED = 99;
/** A second SIGINT or SIGTERM: pending work was spooled and the process did not wait (128 + signal number, as shells report it). */
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

export class AisctlError extends Error {
  override readonly name: string = 'AisctlError';
  /** Process exit code when this error ends a command. */
  readonly exitCode: number = EXIT_ERROR;
}
