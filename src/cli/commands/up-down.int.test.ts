/**
 * `aisctl up` / `aisctl down` with real throwaway servers in a temporary folder (never the
 * machine's shared servers), checked with `aisctl doctor` in between.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { processAlive, STATE_FILE, stopLocalServers } from '../../harness/local-servers.js';
import { diagnose } from './doctor.js';
import { run as runDown } from './down.js';
import { run as runUp } from './up.js';

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  let out = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await fn(), out };
  } finally {
    o.mockRestore();
  }
}

let dataDir: string;
let other: string;

beforeAll(() => {
  // Directly under /tmp: when tests run as root, PostgreSQL runs as `postgres` and must reach it.
  dataDir = mkdtempSync(join(tmpdir(), 'aisctl-up-'));
  other = mkdtempSync(join(tmpdir(), 'aisctl-not-servers-'));
});

afterAll(async () => {
  // Whatever a failed assertion left running.
  await stopLocalServers(dataDir, { removeData: true }).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});

describe('aisctl up / down', () => {
  it('up starts both servers and prints the URLs and export line; a second up finds them; down --purge removes them', { timeout: 180_000 }, async () => {
    const first = await capture(() => runUp({ dataDir, json: true }));
    expect(first.code).toBe(0);
    const urls = JSON.parse(first.out) as { redisUrl: string; databaseUrl: string; alreadyRecorded: boolean; export: string };
    expect(urls.redisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.databaseUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(urls.redisUrl).not.toContain(':6379');
    expect(urls.databaseUrl).not.toContain(':5432/');
    expect(urls.alreadyRecorded).toBe(false);
    expect(JSON.parse(first.out)).toMatchObject({ start: { redis: 'started', postgres: 'started' } });
    expect(urls.export).toBe(`export REDIS_URL=${urls.redisUrl} DATABASE_URL=${urls.databaseUrl}`);

    const report = await diagnose({ redisUrl: urls.redisUrl, databaseUrl: urls.databaseUrl, env: 'updown', dataDir });
    expect(report.ok).toBe(true);
    expect(report.localServers).toMatchObject({ recorded: true, redisUp: true, postgresUp: true, redisUrl: urls.redisUrl });

    const again = await capture(() => runUp({ dataDir }));
    expect(again.code).toBe(0);
    expect(again.out).toContain('running (already started earlier)');
    expect(again.out).toContain(`export REDIS_URL=${urls.redisUrl} DATABASE_URL=${urls.databaseUrl}`);

    // Redis dies behind aisctl's back: the next up restarts it and says so.
    const state = JSON.parse(readFileSync(join(dataDir, STATE_FILE), 'utf8')) as { redis: { pid: number; port: number } };
    process.kill(state.redis.pid, 'SIGKILL');
    await vi.waitFor(() => expect(processAlive(state.redis.pid)).toBe(false), { timeout: 30_000, interval: 50 });
    const revived = await capture(() => runUp({ dataDir }));
    expect(revived.code).toBe(0);
    expect(revived.out).toContain(`Redis was not running: restarted on 127.0.0.1:${state.redis.port}`);
    expect(revived.out).toContain(`PostgreSQL running (already started earlier): ${urls.databaseUrl}`);
    expect(revived.out).not.toContain('running (already started earlier): Redis');
    expect(revived.out).toContain(`export REDIS_URL=${urls.redisUrl} DATABASE_URL=${urls.databaseUrl}`);
    const revivedJson = await capture(() => runUp({ dataDir, json: true }));
    expect(JSON.parse(revivedJson.out)).toMatchObject({ start: { redis: 'running', postgres: 'running' } });

    const down = await capture(() => runDown({ dataDir, purge: true }));
    expect(down.code).toBe(0);
    expect(down.out).toContain(`stopped Redis ${urls.redisUrl}`);
    expect(existsSync(dataDir)).toBe(false);
    const after = await diagnose({ redisUrl: urls.redisUrl, databaseUrl: urls.databaseUrl, env: 'updown', dataDir, timeoutMs: 1000 });
    expect(after.ok).toBe(false);
    expect(after.localServers.recorded).toBe(false);

    const nothing = await capture(() => runDown({ dataDir }));
    expect(nothing.out).toContain('nothing to stop');
  });

  it('down --purge never deletes a folder that is not a servers folder', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(other, 'precious.txt'), 'keep me');
    const r = await capture(() => runDown({ dataDir: other, purge: true }));
    expect(r.out).toContain('nothing to stop');
    expect(existsSync(join(other, 'precious.txt'))).toBe(true);
  });
});
