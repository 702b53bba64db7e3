/**
 * One line of what a store inspection found (`aisctl doctor`), with what to do about it. The
 * level decides the exit code: any `fail` makes doctor exit 1; `warn` is advice.
 */
export type FindingLevel = 'ok' | 'info' | 'warn' | 'fail';

export interface Finding {
  readonly level: FindingLevel;
  readonly text: string;
}
