import { describe, expect, it } from 'vitest';
import { DependencyError, describeRedisTarget, parseRedisTarget } from './connections.js';

describe('parseRedisTarget', () => {
  it('a single URL is a standalone server unless told it is a cluster seed', () => {
    expect(parseRedisTarget('redis://127.0.0.1:6379')).toEqual({ kind: 'standalone', url: 'redis://127.0.0.1:6379' });
    expect(parseRedisTarget('redis://10.0.0.5:7000', { cluster: true })).toEqual({
      kind: 'cluster',
      nodes: [{ host: '10.0.0.5', port: 7000 }],
      username: undefined,
      password: undefined,
      tls: false,
    });
  });

  it('a comma-separated seed list is a cluster; seeds may repeat the scheme; default port 6379', () => {
    const t = parseRedisTarget('redis://127.0.0.1:7000, redis://127.0.0.1:7001,node-c');
    expect(t).toMatchObject({
      kind: 'cluster',
      nodes: [
        { host: '127.0.0.1', port: 7000 },
        { host: '127.0.0.1', port: 7001 },
        { host: 'node-c', port: 6379 },
      ],
    });
    expect(describeRedisTarget(t)).toBe('Redis Cluster seeds 127.0.0.1:7000,127.0.0.1:7001,node-c:6379');
  });

  it('credentials, TLS and IPv6 seeds', () => {
    expect(parseRedisTarget('rediss://app:s%3Acret@[::1]:7000,[fe80::2]:7001/0')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '::1', port: 7000 },
        { host: 'fe80::2', port: 7001 },
      ],
      username: 'app',
      password: 's:cret',
      tls: true,
    });
    expect(parseRedisTarget('redis://:pw@a:1,b:2')).toMatchObject({ username: undefined, password: 'pw' });
  });

  it('refuses what cannot name a cluster, with the flag to fix and without the password', () => {
    expect(() => parseRedisTarget('redis://a:7000,b:7001/2')).toThrow(/only database 0/);
    expect(() => parseRedisTarget('a:7000,b:7001')).toThrow(DependencyError);
    expect(() => parseRedisTarget('redis://a:7000,b:99999')).toThrow(/bad Redis Cluster seed 'b:99999'/);
    expect(() => parseRedisTarget('redis://user:secret@,')).toThrow(/names no seed/);
    try {
      parseRedisTarget('redis://user:secret@,');
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });
});
