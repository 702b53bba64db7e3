/**
 * Names on the NATS server, all derived from the environment (`--env` / AIS_ENV) so several
 * environments share one server: stream `AIS_<env>`, subjects `<env>.ais.p.<k>`, durable
 * consumers `p<k>` inside the stream, lease bucket `aisctl_leases_<env>`.
 */
import { AisctlError } from '../errors/aisctl-error.js';

export interface LogNames {
  readonly env: string;
  readonly stream: string;
  readonly leaseBucket: string;
  subject(partition: number): string;
  consumer(partition: number): string;
  /** The partition of a subject of this stream, or null. */
  partitionOfSubject(subject: string): number | null;
}

/** NATS subject tokens and stream names refuse '.', '*', '>' and whitespace; env names allow '.'. */
const NATS_SAFE_ENV = /^[A-Za-z0-9_-]{1,64}$/;

export function logNames(env: string): LogNames {
  if (!NATS_SAFE_ENV.test(env)) {
    throw new AisctlError(`--env / AIS_ENV '${env}' cannot name a NATS stream: use letters, digits, '_' and '-' only`);
  }
  const prefix = `${env}.ais.p.`;
  return {
    env,
    stream: `AIS_${env}`,
    leaseBucket: `aisctl_leases_${env}`,
    subject: (p) => `${prefix}${p}`,
    consumer: (p) => `p${p}`,
    partitionOfSubject(subject) {
      if (!subject.startsWith(prefix)) return null;
      const rest = subject.slice(prefix.length);
      return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : null;
    },
  };
}
