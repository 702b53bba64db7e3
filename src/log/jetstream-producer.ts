/** LogProducer over a JetStream stream: one publish per record, acknowledged by the stream. */
import type { JetStreamClient, NatsConnection } from 'nats';
import type { AppendResult, LogProducer } from './partitioned-log.js';
import type { LogNames } from './log-names.js';

/** How long one publish waits for the stream's acknowledgement (a replicated stream needs a quorum). */
const PUBLISH_TIMEOUT_MS = 5_000;

export function jetStreamProducer(nc: NatsConnection, names: LogNames, partitions: number): LogProducer {
  const js: JetStreamClient = nc.jetstream();
  return {
    partitions,
    async append(partition: number, id: string, payload: Uint8Array): Promise<AppendResult> {
      const ack = await js.publish(names.subject(partition), payload, { msgID: id, expect: { streamName: names.stream }, timeout: PUBLISH_TIMEOUT_MS });
      return { duplicate: ack.duplicate };
    },
    async close() {},
  };
}
