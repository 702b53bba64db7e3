import { describe, expect, it } from 'vitest';
import { hostPort } from './host-port.js';

describe('hostPort', () => {
  it('host and port of a URL, the default port when it names none', () => {
    expect(hostPort('redis://cache.internal:6380/2', 6379)).toEqual({ host: 'cache.internal', port: 6380, label: 'cache.internal:6380' });
    expect(hostPort('postgres://db.internal/aisctl', 5432)).toEqual({ host: 'db.internal', port: 5432, label: 'db.internal:5432' });
  });

  it('never shows credentials', () => {
    expect(hostPort('postgres://aisctl:s3cret@db:5433/aisctl', 5432).label).toBe('db:5433');
    expect(hostPort('redis://:s3cret@10.0.0.5', 6379).label).toBe('10.0.0.5:6379');
  });

  it('IPv6 hosts keep their brackets, so the label reads back as host:port', () => {
    expect(hostPort('redis://[::1]:6379', 6379)).toEqual({ host: '[::1]', port: 6379, label: '[::1]:6379' });
  });

  it('text that is not a URL is shown as given', () => {
    expect(hostPort('not a url', 6379)).toEqual({ host: '127.0.0.1', port: 6379, label: 'not a url' });
  });
});
