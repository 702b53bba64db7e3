/**
 * Who may talk to `aisctl serve`. On a loopback address only local processes can connect, so
 * no token is needed. Bound to any other address the server requires a bearer token
 * (`--token-file`) on every endpoint but /healthz and /metrics, unless `--no-auth` says
 * explicitly that the network in front of it is trusted; start-up says which applies.
 */
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { MIN_TOKEN_CHARS } from '../../server/bearer-auth.js';
import { errorMessage } from '../../errors/error-message.js';
import { UsageError } from '../config.js';

export interface ServeAccessFlags {
  tokenFile?: string;
  /** False with --no-auth (commander's negated option). */
  auth?: boolean;
}

export interface ServeAccess {
  /** Required on every request but /healthz and /metrics; null: none. */
  readonly token: string | null;
  /** One line for the start-up output. */
  readonly notice: string;
}

export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export function resolveServeAccess(host: string, flags: ServeAccessFlags): ServeAccess {
  const noAuth = flags.auth === false;
  if (flags.tokenFile !== undefined && noAuth) throw new UsageError('--token-file and --no-auth exclude each other');
  const open = 'GET /healthz and GET /metrics stay open';
  if (flags.tokenFile !== undefined) {
    const file = flags.tokenFile;
    let token: string;
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new UsageError(`--token-file ${file}: ${errorMessage(err)}`);
    }
    if (token.length < MIN_TOKEN_CHARS || /\s/.test(token)) {
      throw new UsageError(
        `--token-file ${file} must hold one token of at least ${MIN_TOKEN_CHARS} characters without spaces (e.g. \`openssl rand -hex 32 > ${file}\`)`,
      );
    }
    const loose = (statSync(file).mode & 0o077) !== 0 ? `; warning: ${file} is readable by other users (chmod 600 it)` : '';
    return { token, notice: `auth: bearer token from ${file} required on every endpoint (${open})${loose}` };
  }
  if (isLoopbackHost(host)) {
    return { token: null, notice: `auth: none, ${host} is a loopback address (only local processes can connect; --token-file requires a token)` };
  }
  if (!noAuth) {
    throw new UsageError(
      `--host ${host} is not a loopback address, so serve requires a bearer token: pass --token-file FILE (one line, at least ${MIN_TOKEN_CHARS} characters), ` +
        'or --no-auth to serve without authentication on a network you trust',
    );
  }
  return { token: null, notice: `auth: NONE (--no-auth) on ${host}: anyone who can reach this port can read vessel data and post messages` };
}
