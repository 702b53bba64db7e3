import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findSocketRow, parseProcNetUdp, procAddressHex, readUdpSocketDrops } from './udp-socket-drops.js';

/**
 * Captured on the development machine (x86_64, little-endian) after sending 50 datagrams to a
 * socket on 127.0.0.1:41784 and one on [::1]:42945, each with a 4 KiB SO_RCVBUF and never read:
 * 41 of each were dropped, 7488 bytes were queued. The other rows are wildcard sockets.
 */
const UDP4 = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            
 7964: 00000000:A085 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 361904 2 000000000b1d39a6 0        
 8655: 0100007F:A338 00000000:0000 07 00000000:00001D40 00:00000000 00000000     0        0 361902 2 000000008c906aa4 41       
`;
const UDP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 9816: 00000000000000000000000001000000:A7C1 00000000000000000000000000000000:0000 07 00000000:00001D40 00:00000000 00000000     0        0 361903 2 00000000e0b3a8c7 41
10143: 00000000000000000000000000000000:A908 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 361905 2 00000000873d3604 0
`;

describe('/proc/net/udp', () => {
  it('reads every socket row, skipping the header and blank lines', () => {
    expect(parseProcNetUdp(UDP4)).toEqual([
      { localHex: '00000000', port: 0xa085, rxQueueBytes: 0, inode: 361904, drops: 0 },
      { localHex: '0100007F', port: 41784, rxQueueBytes: 7488, inode: 361902, drops: 41 },
    ]);
    expect(parseProcNetUdp(UDP6).map((r) => [r.port, r.drops])).toEqual([
      [42945, 41],
      [0xa908, 0],
    ]);
    expect(parseProcNetUdp('')).toEqual([]);
    expect(parseProcNetUdp('garbage\n 12: short row\n')).toEqual([]);
  });

  it('prints addresses as the kernel does, word by word in the byte order given', () => {
    expect(procAddressHex('127.0.0.1', 'LE')).toBe('0100007F');
    expect(procAddressHex('127.0.0.1', 'BE')).toBe('7F000001');
    expect(procAddressHex('0.0.0.0', 'LE')).toBe('00000000');
    expect(procAddressHex('::1', 'LE')).toBe('00000000000000000000000001000000');
    expect(procAddressHex('::1', 'BE')).toBe('00000000000000000000000000000001');
    expect(procAddressHex('::', 'LE')).toBe('0'.repeat(32));
    expect(procAddressHex('2001:db8::ff00:42:8329', 'BE')).toBe('20010DB8000000000000FF0000428329');
    expect(procAddressHex('::ffff:10.0.0.5', 'LE')).toBe('0000000000000000FFFF00000500000A');
    expect(procAddressHex('localhost', 'LE')).toBeNull();
  });

  it('finds the socket by address and port, not by port alone', () => {
    const rows = parseProcNetUdp(UDP4);
    expect(findSocketRow(rows, '127.0.0.1', 41784, 'LE')?.drops).toBe(41);
    expect(findSocketRow(rows, '0.0.0.0', 41784, 'LE')).toBeNull();
    expect(findSocketRow(rows, '0.0.0.0', 0xa085, 'LE')?.drops).toBe(0);
    expect(findSocketRow(parseProcNetUdp(UDP6), '::1', 42945, 'LE')?.rxQueueBytes).toBe(7488);
  });

  it('says nothing where /proc cannot be read', () => {
    const missing = (): string => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    expect(readUdpSocketDrops('127.0.0.1', 41784, missing)).toBeNull();
    expect(readUdpSocketDrops('127.0.0.1', 1, () => UDP4)).toBeNull();
  });

  it.runIf(existsSync('/proc/net/udp'))("finds this machine's own socket", async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      expect(readUdpSocketDrops('127.0.0.1', socket.address().port)).toEqual({ drops: 0, rxQueueBytes: 0 });
    } finally {
      socket.close();
    }
  });
});
