import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { tcpProbe } from './tcp-probe.js';

describe('tcpProbe', () => {
  it('null when a listener accepts, the reason when nothing listens', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await tcpProbe('127.0.0.1', port, 2000)).toBeNull();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await tcpProbe('127.0.0.1', port, 2000)).toMatch(/ECONNREFUSED/);
  });
});
