/**
 * `[NAME=]URL` of `aisctl serve --feed` and `aisctl doctor --feed`: which transport, where, and
 * the name fusion and the metrics know the feed by. Pure.
 *
 * - `udp://HOST:PORT`: bind and read datagrams.
 * - `tcp-listen://HOST:PORT`: accept receivers that push lines.
 * - `tcp://HOST:PORT`: connect to a receiver or aggregator.
 * - `ws://HOST[:PORT]/PATH`, `wss://…`: an aisstream.io-compatible websocket.
 */
import { AisctlError } from '../errors/aisctl-error.js';

export type FeedKind = 'udp' | 'tcp-listen' | 'tcp' | 'ws';

export interface FeedSpec {
  /** Source name for fusion (unless a tag block names the station) and the `feed` metric label. */
  readonly name: string;
  readonly kind: FeedKind;
  /** Without IPv6 brackets. */
  readonly host: string;
  /** 0 for a listener lets the system pick a free port. */
  readonly port: number;
  /** The URL as given, without NAME. */
  readonly url: string;
  /** For messages: `udp 127.0.0.1:10110`, `ws wss://host/path`. */
  readonly where: string;
}

/** A mistake in a feed's `[NAME=]URL`: exit 1 with the message, before anything starts. */
export class FeedConfigError extends AisctlError {
  override readonly name = 'FeedConfigError';
}

const SCHEMES: Readonly<Record<string, FeedKind>> = {
  'udp:': 'udp',
  'tcp-listen:': 'tcp-listen',
  'tcp:': 'tcp',
  'ws:': 'ws',
  'wss:': 'ws',
};

/**
 * Names become metric label values and fusion source names: short, printable, no separators that
 * would read as a path (the NMEA reader takes a file's base name as its source).
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const NAME_PREFIX = /^([A-Za-z0-9][A-Za-z0-9._-]*)=(.*)$/s;

const USAGE = 'expected [NAME=]udp://HOST:PORT, tcp-listen://HOST:PORT, tcp://HOST:PORT, ws://HOST/PATH or wss://HOST/PATH';

function fail(text: string, detail: string): never {
  throw new FeedConfigError(`feed '${text}': ${detail}`);
}

/** `udp-10110` for listeners, `tcp-10.0.0.5-2000` and `ws-stream.example.org` for clients. */
export function defaultFeedName(kind: FeedKind, scheme: string, host: string, port: number, explicitPort: boolean): string {
  const safeHost = host.replace(/[^A-Za-z0-9.-]/g, '_');
  let name: string;
  if (kind === 'udp' || kind === 'tcp-listen') name = `${kind}-${port}`;
  else if (kind === 'tcp' || explicitPort) name = `${scheme}-${safeHost}-${port}`;
  else name = `${scheme}-${safeHost}`;
  return name.slice(0, 63);
}

export function parseFeedSpec(text: string): FeedSpec {
  const trimmed = text.trim();
  const named = NAME_PREFIX.exec(trimmed);
  // A URL's own '=' (a query string) comes after "://", so a name prefix never contains ':'.
  const givenName = named !== null && !(named[1] ?? '').includes(':') ? (named[1] as string) : null;
  const urlText = givenName === null ? trimmed : (named?.[2] ?? '').trim();
  if (givenName !== null && !NAME.test(givenName)) {
    fail(text, `the name '${givenName}' must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    fail(text, USAGE);
  }
  const kind = SCHEMES[url.protocol];
  if (kind === undefined) fail(text, `unknown scheme '${url.protocol.replace(/:$/, '')}': ${USAGE}`);
  const scheme = url.protocol.replace(/:$/, '');
  if (url.username !== '' || url.password !== '') fail(text, 'credentials do not belong in a feed URL (the aisstream key comes from AISSTREAM_API_KEY)');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') fail(text, `no host: ${USAGE} (0.0.0.0 listens on every IPv4 address)`);
  const explicitPort = url.port !== '';
  let port: number;
  if (kind === 'ws') {
    port = explicitPort ? Number(url.port) : scheme === 'wss' ? 443 : 80;
  } else {
    if (!explicitPort) fail(text, `no port: ${USAGE}`);
    if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
      fail(text, `a ${scheme} feed takes no path or query: ${USAGE}`);
    }
    port = Number(url.port);
  }
  const listener = kind === 'udp' || kind === 'tcp-listen';
  if (!Number.isInteger(port) || port < (listener ? 0 : 1) || port > 65_535) fail(text, `port ${url.port} is out of range`);
  const name = givenName ?? defaultFeedName(kind, scheme, host, port, explicitPort);
  const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return {
    name,
    kind,
    host,
    port,
    url: kind === 'ws' ? url.toString() : `${scheme}://${hostPort}`,
    where: kind === 'ws' ? `${scheme} ${url.toString()}` : `${scheme === 'tcp-listen' ? 'tcp' : scheme} ${hostPort}`,
  };
}

/** Parses every `--feed` and refuses two feeds with one name (their metrics and sources would merge). */
export function parseFeedSpecs(texts: readonly string[]): FeedSpec[] {
  const specs = texts.map(parseFeedSpec);
  const seen = new Map<string, string>();
  for (const s of specs) {
    const other = seen.get(s.name);
    if (other !== undefined) {
      throw new FeedConfigError(`feeds '${other}' and '${s.url}' are both named '${s.name}': give one of them a name (NAME=URL)`);
    }
    seen.set(s.name, s.url);
  }
  return specs;
}
