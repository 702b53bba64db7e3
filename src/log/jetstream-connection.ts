/**
 * Connecting to NATS for a command: one clear line when no server answers, instead of the
 * client's retry loop. Once connected the client reconnects by itself (and to the other nodes
 * of a cluster), which is what a long-running worker wants.
 */
import { connect, type NatsConnection } from 'nats';
import { AisctlError } from '../errors/aisctl-error.js';
import { errorMessage } from '../errors/error-message.js';

/** `nats://a:4222,nats://b:4222` or `a:4222,b:4222`: the servers of one cluster. */
export function natsServers(url: string): string[] {
  const servers = url
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (servers.length === 0) throw new AisctlError('--nats must name at least one server, e.g. nats://127.0.0.1:4222');
  return servers;
}

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  const servers = natsServers(url);
  try {
    return await connect({ servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: 5_000 });
  } catch (err) {
    throw new AisctlError(`cannot reach NATS at ${servers.join(', ')}: ${errorMessage(err)}; start it (nats-server -js) or pass --nats / NATS_URL`);
  }
}
