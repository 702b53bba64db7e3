/**
 * The base of every error aisctl expects and can explain in one line: a mistake in the arguments,
 * a gate, scenario or load shape, a server that cannot be reached, a layout that disagrees. The
 * CLI entry point tells these apart from bugs with `instanceof`: an AisctlError is printed as its
 * message and exits with `exitCode`; anything else keeps its stack. Kept free of imports so
 * every layer that reports such errors can extend it (the pure decoding layers throw none).
 */

/** An error the user can act on: arguments, dependency, I/O. 99 (a failed gate) is a result, never thrown. */
export const EXIT_ERROR = 1;

export class AisctlError extends Error {
  override readonly name: string = 'AisctlError';
  /** Process exit code when this error ends a command. */
  readonly exitCode: number = EXIT_ERROR;
}
