/**
 * Whether something accepts TCP connections at host:port, without a driver: a driver's own
 * connect timer or reconnect loop would keep the process alive long after the answer is known.
 */
import { createConnection } from 'node:net';
import { errorMessage } from '../errors/error-message.js';

/** null when the connection was accepted, else why not (refused, unreachable, no answer in time). */
export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = createConnection({ host, port });
    const done = (why: string | null): void => {
      sock.destroy();
      resolve(why);
    };
    sock.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    sock.once('connect', () => done(null));
    sock.once('error', (err) => done(errorMessage(err)));
  });
}
