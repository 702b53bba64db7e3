/**
 * What every feed transport (UDP, TCP listener, TCP client, websocket) gives the feed set, and
 * the one error a transport raises at start-up: a listener that cannot bind.
 */
import { AisctlError } from '../errors/aisctl-error.js';
import { errorMessage } from '../errors/error-message.js';

export interface FeedTransport {
  /** Where a listener is bound (port 0 resolved to the one the system picked); null for clients. */
  readonly address: { readonly host: string; readonly port: number } | null;
  /** Stops reading, closes sockets and feeds what was already read to the pipeline. */
  close(): Promise<void>;
  /** Brings counters kept outside aisctl (the kernel's UDP drops) up to date; called when they are read. */
  refreshCounters?(): void;
}

/** `cannot listen on udp 127.0.0.1:10110: address already in use`: exit 1, not a crash. */
export class FeedListenError extends AisctlError {
  override readonly name = 'FeedListenError';
}

const WORDS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};

export function listenError(where: string, err: unknown): FeedListenError {
  const code = (err as { code?: unknown }).code;
  const text = typeof code === 'string' && WORDS[code] !== undefined ? WORDS[code] : errorMessage(err);
  return new FeedListenError(`cannot listen on ${where}: ${text}`);
}
