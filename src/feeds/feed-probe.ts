/**
 * `aisctl doctor --feed URL`: can this feed start here? Client feeds (tcp://, ws://, wss://) are
 * connected to once; listener feeds (udp://, tcp-listen://) are bound once and released, which
 * tells whether the port is free and the address is this machine's. Reads nothing and sends
 * nothing (no aisstream subscription: that needs the key, and doctor changes nothing).
 */
import { createSocket } from 'node:dgram';
import { connect, createServer, isIPv6 } from 'node:net';
import WebSocket from 'ws';
import { errorMessage } from '../errors/error-message.js';
import { listenError } from './feed-transport.js';
import type { FeedSpec } from './feed-url.js';

export interface FeedProbeResult {
  readonly name: string;
  readonly url: string;
  readonly ok: boolean;
  readonly detail: string;
}

function bindUdp(spec: FeedSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: isIPv6(spec.host) ? 'udp6' : 'udp4' });
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind({ address: spec.host, port: spec.port, exclusive: true }, () => socket.close(() => resolve()));
  });
}

function listenTcp(spec: FeedSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: spec.host, port: spec.port, exclusive: true }, () => server.close(() => resolve()));
  });
}

function connectTcp(spec: FeedSpec, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: spec.host, port: spec.port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

function openWebSocket(spec: FeedSpec, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(spec.url, { handshakeTimeout: timeoutMs });
    ws.once('open', () => {
      ws.terminate();
      resolve();
    });
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(new Error(`the server answered HTTP ${res.statusCode ?? '?'} instead of a websocket`));
    });
    ws.once('error', reject);
  });
}

export async function probeFeed(spec: FeedSpec, timeoutMs: number): Promise<FeedProbeResult> {
  const base = { name: spec.name, url: spec.url };
  try {
    switch (spec.kind) {
      case 'udp':
        await bindUdp(spec);
        return { ...base, ok: true, detail: `can listen on ${spec.where} (nothing else holds the port)` };
      case 'tcp-listen':
        await listenTcp(spec);
        return { ...base, ok: true, detail: `can listen on ${spec.where} (nothing else holds the port)` };
      case 'tcp':
        await connectTcp(spec, timeoutMs);
        return { ...base, ok: true, detail: `${spec.where} accepts connections` };
      case 'ws':
        await openWebSocket(spec, timeoutMs);
        return { ...base, ok: true, detail: `${spec.url} completed the websocket handshake (the subscription, which needs AISSTREAM_API_KEY, was not sent)` };
    }
  } catch (err) {
    const listener = spec.kind === 'udp' || spec.kind === 'tcp-listen';
    return { ...base, ok: false, detail: listener ? listenError(spec.where, err).message : `cannot connect to ${spec.where}: ${errorMessage(err)}` };
  }
}
