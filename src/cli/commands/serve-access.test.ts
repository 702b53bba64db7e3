import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveServeAccess } from './serve-access.js';

const dir = mkdtempSync(join(tmpdir(), 'aisctl-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tokenFile(text: string, mode = 0o600): string {
  const path = join(dir, `token-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('serve access rules', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.org', '128.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('loopback without a token: no authentication, and start-up says why', () => {
    const a = resolveServeAccess('127.0.0.1', {});
    expect(a.token).toBeNull();
    expect(a.notice).toMatch(/auth: none, 127\.0\.0\.1 is a loopback address/);
  });

  it('any other address requires --token-file, unless --no-auth is explicit', () => {
    expect(() => resolveServeAccess('0.0.0.0', {})).toThrow(/--host 0\.0\.0\.0 is not a loopback address.*--token-file.*--no-auth/);
    expect(() => resolveServeAccess('0.0.0.0', { auth: true })).toThrow(/requires a bearer token/);
    const open = resolveServeAccess('0.0.0.0', { auth: false });
    expect(open.token).toBeNull();
    expect(open.notice).toMatch(/auth: NONE \(--no-auth\) on 0\.0\.0\.0/);
  });

  it('a token file gives the token (trimmed), on any address, and warns when others can read it', () => {
    const file = tokenFile('0123456789abcdef0123456789abcdef\n');
    const a = resolveServeAccess('0.0.0.0', { tokenFile: file });
    expect(a.token).toBe('0123456789abcdef0123456789abcdef');
    expect(a.notice).toContain(`bearer token from ${file} required on every endpoint (GET /healthz and GET /metrics stay open)`);
    expect(a.notice).not.toContain('warning');
    expect(resolveServeAccess('127.0.0.1', { tokenFile: file }).token).toBe(a.token);
    expect(resolveServeAccess('::', { tokenFile: tokenFile('0123456789abcdef0123456789abcdef', 0o644) }).notice).toContain('readable by other users');
  });

  it('refuses short, multi-word and missing token files, and --token-file with --no-auth', () => {
    expect(() => resolveServeAccess('0.0.0.0', { tokenFile: tokenFile('short') })).toThrow(/at least 16 characters/);
    expect(() => resolveServeAccess('0.0.0.0', { tokenFile: tokenFile('0123456789abcdef 0123456789abcdef') })).toThrow(/without spaces/);
    expect(() => resolveServeAccess('0.0.0.0', { tokenFile: join(dir, 'missing') })).toThrow(/--token-file .*missing/);
    expect(() => resolveServeAccess('0.0.0.0', { tokenFile: tokenFile('0123456789abcdef0123456789abcdef'), auth: false })).toThrow(/exclude each other/);
  });
});
