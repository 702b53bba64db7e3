/**
 * `aisctl doctor --nats URL`: the log of one environment as the workers see it: the server and
 * JetStream, the stream (partitions, replicas, backlog), and per partition its lease owner and
 * lag from the consumer info.
 */
import type { KvEntry, NatsConnection } from 'nats';
import { errorMessage } from '../errors/error-message.js';
import { connectNats } from './jetstream-connection.js';
import { jetStreamConsumer } from './jetstream-consumer.js';
import { streamInfo, streamPartitions } from './jetstream-stream.js';
import { DEFAULT_ACK_WAIT_MS, DEFAULT_MAX_ACK_PENDING } from './log-defaults.js';
import { logNames } from './log-names.js';

/** As store/inspect-finding.ts (kept structural: the log layer does not import the stores). */
export interface LogFinding {
  readonly level: 'ok' | 'info' | 'warn' | 'fail';
  readonly text: string;
}

export interface PartitionState {
  readonly partition: number;
  readonly owner: string | null;
  readonly pending: number;
  readonly unacknowledged: number;
  readonly redelivered: number;
}

export interface LogReport {
  readonly url: string;
  readonly reachable: boolean;
  readonly stream: string;
  readonly partitions: PartitionState[];
  readonly findings: LogFinding[];
}

function ownerOf(e: KvEntry | null): string | null {
  if (e === null || e.operation !== 'PUT') return null;
  try {
    return (JSON.parse(new TextDecoder().decode(e.value)) as { owner?: string }).owner ?? '?';
  } catch {
    return '?';
  }
}

export async function inspectLog(url: string, env: string): Promise<LogReport> {
  const names = logNames(env);
  const findings: LogFinding[] = [];
  const report = { url, reachable: false, stream: names.stream, partitions: [] as PartitionState[], findings };
  let nc: NatsConnection;
  try {
    nc = await connectNats(url, 'aisctl doctor');
  } catch (err) {
    findings.push({ level: 'fail', text: errorMessage(err) });
    return report;
  }
  try {
    report.reachable = true;
    const jsm = await nc.jetstreamManager().catch((err: unknown) => {
      findings.push({ level: 'fail', text: `NATS ${nc.getServer()} answers without JetStream (${errorMessage(err)}): start nats-server with -js` });
      return null;
    });
    if (jsm === null) return report;
    findings.push({ level: 'ok', text: `NATS ${nc.info?.version ?? '?'} at ${nc.getServer()}, JetStream on` });
    const info = await streamInfo(jsm, names);
    if (info === null) {
      findings.push({ level: 'info', text: `no stream ${names.stream} yet: \`aisctl publish --env ${env}\` or \`serve --publish\` creates it` });
      return report;
    }
    const p = streamPartitions(info, names);
    findings.push({
      level: 'ok',
      text: `stream ${names.stream}: ${p} partitions, ${info.config.num_replicas} replicas, ${info.state.messages} messages not yet acknowledged, duplicate window ${Math.round(info.config.duplicate_window / 1e9)} s`,
    });
    const consumer = await jetStreamConsumer(nc, names, p, { ackWaitMs: DEFAULT_ACK_WAIT_MS, maxAckPending: DEFAULT_MAX_ACK_PENDING });
    const kv = await nc
      .jetstream()
      .views.kv(names.leaseBucket, { bindOnly: true })
      .catch(() => null);
    report.partitions = await Promise.all(
      Array.from({ length: p }, async (_, k) => {
        const s = await consumer.stats(k);
        const owner = kv === null ? null : ownerOf(await kv.get(`p.${k}`));
        return { partition: k, owner, pending: s.pending, unacknowledged: s.unacknowledged, redelivered: s.redelivered };
      }),
    );
    for (const s of report.partitions) {
      const lag = s.pending + s.unacknowledged;
      findings.push({
        level: s.owner === null && lag > 0 ? 'warn' : 'info',
        text: `partition ${s.partition}: ${s.owner === null ? 'NO OWNER' : `owner ${s.owner}`}, lag ${lag} (${s.pending} pending, ${s.unacknowledged} unacknowledged, ${s.redelivered} redelivered)`,
      });
    }
    const orphaned = report.partitions.filter((s) => s.owner === null && s.pending + s.unacknowledged > 0).length;
    if (orphaned > 0) findings.push({ level: 'warn', text: `${orphaned} partitions have records and no worker: start \`aisctl work --env ${env}\`` });
    return report;
  } catch (err) {
    findings.push({ level: 'fail', text: `reading the log of ${env}: ${errorMessage(err)}` });
    return report;
  } finally {
    await nc.close();
  }
}
