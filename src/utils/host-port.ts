/**
 * Where a server URL points, for messages and probes: "cannot reach Redis at 127.0.0.1:6379".
 * Never the user name or password, which URLs may carry.
 */

export interface HostPort {
  readonly host: string;
  readonly port: number;
  /** `host:port`, or the text itself when it is not a URL (so the message still shows what was given). */
  readonly label: string;
}

export function hostPort(url: string, defaultPort: number): HostPort {
  try {
    const u = new URL(url);
    // `redis://:6379` and similar have no host: the drivers then connect to the loopback address.
    const host = u.hostname || '127.0.0.1';
    const port = Number(u.port || defaultPort);
    return { host, port, label: `${host}:${port}` };
  } catch {
    return { host: '127.0.0.1', port: defaultPort, label: url };
  }
}
