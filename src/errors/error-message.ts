/** The one way to turn anything thrown into a line of text for a message. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    if (err.message !== '') return err.message;
    // Node reports a refused dual-stack connect as an AggregateError with an empty message.
    if (err instanceof AggregateError && err.errors.length > 0) return errorMessage(err.errors[0]);
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? code : err.name;
  }
  if (typeof err === 'object' && err !== null) {
    const message = (err as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
  }
  return String(err);
}
