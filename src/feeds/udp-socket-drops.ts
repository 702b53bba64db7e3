/**
 * The kernel's count of datagrams it dropped for one UDP socket, from Linux's /proc/net/udp and
 * /proc/net/udp6 (the `drops` column: datagrams that found the receive buffer full, or failed a
 * socket filter). These never reach aisctl, so no counter of ours can see them; without this a
 * receiver sending faster than the feed reads looks like a quiet receiver.
 *
 * Node exposes neither the socket's file descriptor nor its inode, so the row is found by its
 * local address and port, which a bound socket owns alone unless SO_REUSEPORT is set (aisctl never
 * sets it). The kernel prints each 32-bit word of an address as a hexadecimal number in the host's
 * byte order, so the parser is told the byte order (the running machine's by default) rather than
 * assuming one.
 */
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { endianness } from 'node:os';

export interface UdpSocketRow {
  /** The local address as the kernel printed it (hexadecimal words in host byte order). */
  readonly localHex: string;
  readonly port: number;
  /** Bytes waiting in the receive buffer. */
  readonly rxQueueBytes: number;
  readonly inode: number;
  readonly drops: number;
}

export interface UdpSocketDrops {
  readonly drops: number;
  readonly rxQueueBytes: number;
}

export type ByteOrder = 'LE' | 'BE';

/** The rows of /proc/net/udp or /proc/net/udp6; lines that are not socket rows are skipped. */
export function parseProcNetUdp(text: string): UdpSocketRow[] {
  const rows: UdpSocketRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
    if (f.length < 13 || !/^\d+:$/.test(f[0] ?? '')) continue;
    const [localHex, portHex] = (f[1] ?? '').split(':');
    const rx = (f[4] ?? '').split(':')[1];
    const drops = Number(f[12]);
    const inode = Number(f[9]);
    if (localHex === undefined || portHex === undefined || rx === undefined || !Number.isSafeInteger(drops) || !Number.isSafeInteger(inode)) continue;
    rows.push({ localHex: localHex.toUpperCase(), port: parseInt(portHex, 16), rxQueueBytes: parseInt(rx, 16), inode, drops });
  }
  return rows;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** 4 bytes in network order as the kernel prints one 32-bit word. */
function word(bytes: readonly number[], order: ByteOrder): string {
  const b = order === 'LE' ? [...bytes].reverse() : bytes;
  return b.map(hex2).join('');
}

function ipv4Bytes(host: string): number[] {
  return host.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address (`::` expanded, a trailing dotted IPv4 part included). */
function ipv6Bytes(host: string): number[] {
  const bare = host.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const [headText = '', tailText] = bare.split('::');
  const groups = (text: string): number[] => {
    if (text === '') return [];
    const out: number[] = [];
    for (const part of text.split(':')) {
      if (isIPv4(part)) {
        const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(part);
        out.push((a << 8) | b, (c << 8) | d);
      } else out.push(parseInt(part, 16));
    }
    return out;
  };
  const head = groups(headText);
  const tail = tailText === undefined ? [] : groups(tailText);
  const all = [...head, ...Array<number>(Math.max(0, 8 - head.length - tail.length)).fill(0), ...tail];
  return all.flatMap((g) => [(g >> 8) & 255, g & 255]);
}

/** How /proc/net/udp{,6} prints `host` on a machine of byte order `order`; null for a name. */
export function procAddressHex(host: string, order: ByteOrder): string | null {
  let bytes: number[];
  if (isIPv4(host)) bytes = ipv4Bytes(host);
  else if (isIPv6(host.replace(/^\[|\]$/g, ''))) bytes = ipv6Bytes(host);
  else return null;
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) out += word(bytes.slice(i, i + 4), order);
  return out;
}

/** The row of the socket bound to host:port, or null. */
export function findSocketRow(rows: readonly UdpSocketRow[], host: string, port: number, order: ByteOrder): UdpSocketRow | null {
  const hex = procAddressHex(host, order);
  if (hex === null) return null;
  return rows.find((r) => r.port === port && r.localHex === hex) ?? null;
}

/**
 * The kernel's drops and queued bytes of the UDP socket bound to host:port; null where Linux'
 * /proc is not there to ask (other systems, a container without it) or the socket is not listed.
 * Read when asked (a scrape, a health check, a summary), never per datagram.
 */
export function readUdpSocketDrops(host: string, port: number, readText: (path: string) => string = (p) => readFileSync(p, 'utf8')): UdpSocketDrops | null {
  const path = isIPv4(host) ? '/proc/net/udp' : '/proc/net/udp6';
  let text: string;
  try {
    text = readText(path);
  } catch {
    return null;
  }
  const row = findSocketRow(parseProcNetUdp(text), host, port, endianness());
  return row === null ? null : { drops: row.drops, rxQueueBytes: row.rxQueueBytes };
}
