/**
 * A publisher of an environment's stream for a long-running edge (`serve --publish`): connects,
 * creates the stream with the defaults when missing, and closes by waiting for every append's
 * acknowledgement before the connection drains.
 */
import { connectNats } from './jetstream-connection.js';
import { jetStreamProducer } from './jetstream-producer.js';
import { untilJetStreamAnswers } from './jetstream-retry.js';
import { ensureStream } from './jetstream-stream.js';
import { DEFAULT_DEDUP_WINDOW_MS, DEFAULT_PARTITIONS, DEFAULT_REPLICAS } from './log-defaults.js';
import { logNames } from './log-names.js';
import { LogPublisher } from './log-publisher.js';

export interface OpenLogPublisher {
  readonly publisher: LogPublisher;
  readonly stream: string;
  readonly server: string;
  close(): Promise<void>;
}

export async function openLogPublisher(url: string, env: string): Promise<OpenLogPublisher> {
  const names = logNames(env);
  const nc = await connectNats(url, `aisctl serve ${env}`);
  try {
    // A cluster electing the new stream's leader may answer late (jetstream-retry.ts).
    const partitions = await untilJetStreamAnswers(`stream ${names.stream}`, nc.getServer(), async () =>
      ensureStream(
        await nc.jetstreamManager(),
        names,
        { partitions: DEFAULT_PARTITIONS, replicas: DEFAULT_REPLICAS, dedupWindowMs: DEFAULT_DEDUP_WINDOW_MS },
        false,
      ),
    );
    const publisher = new LogPublisher(jetStreamProducer(nc, names, partitions));
    return {
      publisher,
      stream: `${names.stream} (${partitions} partitions)`,
      server: nc.getServer(),
      async close() {
        await publisher.flush();
        await nc.drain().catch(() => undefined);
      },
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}
