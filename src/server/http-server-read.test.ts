/**
 * The edge's side of the read API and of the token rule, with a fake read API: `/v1/` paths
 * the exact-path table does not own go to it, POST /v1/messages stays with ingest, and
 * `authorize` guards everything but /healthz and /metrics.
 */
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createBearerCheck } from './bearer-auth.js';
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from './http-server.js';
import { ingestBodyText } from './ingest-body.js';
import type { ReadApi, ReadResponse } from './read-api.js';

const TOKEN = 'a'.repeat(16) + 'b'.repeat(16);

let servers: RunningHttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Answers /v1/echo/{x} with what it was asked; anything else is not its route. */
const fakeRead: ReadApi & { calls: string[] } = {
  calls: [],
  async route(method, path, query): Promise<ReadResponse | null> {
    this.calls.push(`${method} ${path}?${query.toString()}`);
    if (path === '/v1/boom') throw new Error('database went away');
    if (!path.startsWith('/v1/echo/')) return null;
    return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ path, q: query.get('q') }), headers: { 'x-read': '1' } };
  },
};

async function start(over: Partial<HttpServerOptions> = {}): Promise<RunningHttpServer & { ingested: string[] }> {
  const ingested: string[] = [];
  const s = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    registry: new Registry(),
    ingest: async (raw) => {
      ingested.push(await ingestBodyText(raw));
      return { accepted: 1, rejected: 0, errors: [] };
    },
    health: async () => ({ ok: true, checks: {} }),
    read: fakeRead,
    onError: () => undefined,
    ...over,
  });
  servers.push(s);
  return Object.assign(s, { ingested });
}

describe('read routes on the HTTP edge', () => {
  it('hands /v1/ paths outside the table to the read API, with the query; POST /v1/messages stays ingest', async () => {
    const s = await start();
    const r = await fetch(`${s.url}/v1/echo/42?q=ever%20given`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-read')).toBe('1');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(await r.json()).toEqual({ path: '/v1/echo/42', q: 'ever given' });
    const p = await fetch(`${s.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'line\n' });
    expect(p.status).toBe(202);
    expect(s.ingested).toEqual(['line\n']);
    expect(fakeRead.calls.some((c) => c.includes('/v1/messages'))).toBe(false);
  });

  it('a path the read API does not know is 404; a failing read is 500 with the reason', async () => {
    const s = await start();
    const missing = await fetch(`${s.url}/v1/unknown`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toMatch(/no route \/v1\/unknown; try GET \/v1\/vessels/);
    const boom = await fetch(`${s.url}/v1/boom`);
    expect(boom.status).toBe(500);
    expect(((await boom.json()) as { error: string }).error).toContain('database went away');
  });

  it('HEAD gets the headers without the body', async () => {
    const s = await start();
    const r = await fetch(`${s.url}/v1/echo/1`, { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(Number(r.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await r.text()).toBe('');
  });

  it('without a read API, /v1/ paths other than /v1/messages stay 404', async () => {
    const s = await start({ read: undefined });
    expect((await fetch(`${s.url}/v1/echo/1`)).status).toBe(404);
  });
});

describe('authorize', () => {
  it('guards every path but /healthz and /metrics, ingest included', async () => {
    const s = await start({ authorize: createBearerCheck(TOKEN) });
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const path of ['/v1/echo/1', '/v1/unknown', '/nowhere']) {
      const r = await fetch(`${s.url}${path}`);
      expect({ path, status: r.status }).toEqual({ path, status: 401 });
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="aisctl"');
    }
    const unauthorized = await fetch(`${s.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'line\n' });
    expect(unauthorized.status).toBe(401);
    expect(s.ingested).toEqual([]);
    expect((await fetch(`${s.url}/v1/echo/1`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${s.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'text/plain', ...auth }, body: 'line\n' })).status).toBe(202);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${s.url}/metrics`)).status).toBe(200);
  });
});
