/**
 * JetStream management requests (stream and bucket lookups at a worker's start) retried while
 * the server cannot answer yet. A cluster answers nothing while it elects the leader of a new
 * stream or bucket, and a busy one lets the client's 5 s request timeout run out: a second
 * worker starting beside the first on a 3-node cluster died on a bare `NatsError: TIMEOUT`
 * (seen in the cluster integration test under a full test run). Now such a request is tried
 * again, with backoff, until a deadline, and only then is the start refused, with one line that
 * names the server and what was asked.
 */
import { AisctlError } from '../errors/aisctl-error.js';
import { errorMessage } from '../errors/error-message.js';
import { backoffCeiling } from '../utils/backoff-delay.js';

/** How long a start waits for JetStream to answer before giving up. */
export const JETSTREAM_START_DEADLINE_MS = 60_000;
const RETRY = { baseMs: 250, maxMs: 4_000 };

/**
 * No answer yet, as opposed to an answer that says no: the client's request timeout, the
 * server's own (408), no responders (503: JetStream starting, or not enabled; the deadline tells
 * those apart) and JetStream's "temporarily unavailable" (API error code 503).
 */
export function isNoAnswerYet(err: unknown): boolean {
  const e = err as { code?: unknown; api_error?: { code?: number } } | null;
  if (e === null || typeof e !== 'object') return false;
  return e.code === 'TIMEOUT' || e.code === '408' || e.code === '503' || e.api_error?.code === 503;
}

export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface JetStreamRetryOptions {
  readonly deadlineMs?: number;
  /** Told before each wait, e.g. to print why the start is taking long. */
  readonly onRetry?: (message: string) => void;
  readonly clock?: RetryClock;
}

/** `fn` until it answers; rethrows any other error at once. `what` and `server` name the request in messages. */
export async function untilJetStreamAnswers<T>(what: string, server: string, fn: () => Promise<T>, opts: JetStreamRetryOptions = {}): Promise<T> {
  const clock = opts.clock ?? REAL_CLOCK;
  const deadlineMs = opts.deadlineMs ?? JETSTREAM_START_DEADLINE_MS;
  const start = clock.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isNoAnswerYet(err)) throw err;
      const waited = clock.now() - start;
      if (waited >= deadlineMs) {
        throw new AisctlError(
          `NATS ${server}: ${what}: JetStream gave no answer in ${Math.round(waited / 1000)} s (${errorMessage(err)}); ` +
            'is JetStream enabled (nats-server -js), and has the cluster a leader for the stream?',
        );
      }
      const delay = Math.min(backoffCeiling(attempt, RETRY), deadlineMs - waited);
      opts.onRetry?.(`NATS ${server}: ${what}: no answer yet (${errorMessage(err)}); trying again in ${delay} ms`);
      await clock.sleep(delay);
    }
  }
}
