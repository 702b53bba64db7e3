/**
 * LogConsumer over JetStream: one durable pull consumer per partition (`p<k>`, filtered on the
 * partition's subject), explicit acknowledgement, a bounded number of unacknowledged records
 * (`max_ack_pending`) and an acknowledgement deadline (`ack_wait`) after which the server
 * redelivers, which is how a dead worker's records reach the next owner.
 */
import { AckPolicy, DeliverPolicy, nanos, type ConsumerConfig, type JetStreamManager, type JsMsg, type NatsConnection } from 'nats';
import { errorMessage } from '../errors/error-message.js';
import { isNotFound } from './jetstream-stream.js';
import type { LogNames } from './log-names.js';
import type { LogConsumer, LogRecord, PartitionReader, PartitionStats, RecordHandler } from './partitioned-log.js';

/** Records the client asks for at once per partition; it asks again at 75 % used. */
const PULL_BATCH = 256;

export interface ConsumerSettings {
  readonly ackWaitMs: number;
  readonly maxAckPending: number;
  readonly onWarning?: (message: string) => void;
}

function record(partition: number, m: JsMsg): LogRecord {
  return {
    partition,
    payload: m.data,
    deliveries: m.info.redeliveryCount,
    ack: () => m.ack(),
    retry: (delayMs?: number) => m.nak(delayMs),
    reject: () => m.term(),
  };
}

export async function jetStreamConsumer(nc: NatsConnection, names: LogNames, partitions: number, settings: ConsumerSettings): Promise<LogConsumer> {
  const jsm: JetStreamManager = await nc.jetstreamManager();
  const js = nc.jetstream();

  async function ensure(partition: number): Promise<void> {
    const name = names.consumer(partition);
    const want: Partial<ConsumerConfig> = {
      durable_name: name,
      filter_subject: names.subject(partition),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(settings.ackWaitMs),
      max_ack_pending: settings.maxAckPending,
      max_deliver: -1,
    };
    try {
      const info = await jsm.consumers.info(names.stream, name);
      if (info.config.ack_wait !== want.ack_wait || info.config.max_ack_pending !== want.max_ack_pending) {
        await jsm.consumers.update(names.stream, name, { ack_wait: want.ack_wait, max_ack_pending: want.max_ack_pending });
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // Two workers may both add it: the same configuration makes the second add a no-op.
      await jsm.consumers.add(names.stream, want);
    }
  }

  return {
    partitions,
    async read(partition: number, handler: RecordHandler): Promise<PartitionReader> {
      await ensure(partition);
      const consumer = await js.consumers.get(names.stream, names.consumer(partition));
      const messages = await consumer.consume({ max_messages: Math.min(PULL_BATCH, settings.maxAckPending) });
      let stopped = false;
      void (async () => {
        for await (const m of messages) {
          if (stopped) {
            m.nak();
            continue;
          }
          await handler(record(partition, m));
        }
      })().catch((err: unknown) => settings.onWarning?.(`partition ${partition}: reading stopped: ${errorMessage(err)}`));
      return {
        async stop() {
          if (stopped) return;
          stopped = true;
          // Not waiting for the loop: a handler may be waiting for the pipeline to drain, and
          // giving a partition up must not wait for that (the handler checks ownership again).
          messages.stop();
        },
      };
    },
    async stats(partition: number): Promise<PartitionStats> {
      try {
        const info = await jsm.consumers.info(names.stream, names.consumer(partition));
        return { partition, pending: info.num_pending, unacknowledged: info.num_ack_pending, redelivered: info.num_redelivered };
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // No worker has read it yet: everything in its subject is pending.
        const subject = names.subject(partition);
        const s = await jsm.streams.info(names.stream, { subjects_filter: subject });
        return { partition, pending: s.state.subjects?.[subject] ?? 0, unacknowledged: 0, redelivered: 0 };
      }
    },
  };
}
