/**
 * Thrown by an ingest callback when the pipeline cannot take more right now (its queue is over
 * the high-water mark). The HTTP edge turns it into 503 + Retry-After: back-pressure that a
 * client can act on, instead of buffering without bound.
 */
export class IngestOverloadedError extends Error {
  constructor(
    message = 'pipeline overloaded',
    /** Seconds the client should wait before retrying. */
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
    this.name = 'IngestOverloadedError';
  }
}
