/**
 * The defaults of the log's flags, import-free so that cli/program.ts can build `publish`, `work`
 * and `serve --publish` from them without loading the NATS client.
 */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
/** P: partitions of a new stream. A stream keeps the count it was created with. */
export const DEFAULT_PARTITIONS = 32;
/** A subject and a durable consumer per partition: past this the server's bookkeeping dominates. */
export const MAX_PARTITIONS = 1024;
export const DEFAULT_REPLICAS = 1;
/** Republishing a file within this long adds nothing (the server keeps the message ids this long). */
export const DEFAULT_DEDUP_WINDOW_MS = 2 * 60_000;
/** Appends of one publisher not yet acknowledged by the stream. */
export const DEFAULT_MAX_IN_FLIGHT = 1024;
/** A worker that stops renewing loses its partitions after this long. */
export const DEFAULT_LEASE_TTL_MS = 10_000;
/** A record delivered and not acknowledged within this long is delivered again (to the next owner). */
export const DEFAULT_ACK_WAIT_MS = 30_000;
/** Records of one partition delivered and not yet acknowledged, at most. */
export const DEFAULT_MAX_ACK_PENDING = 2_000;
/** Where `aisctl work` serves /metrics and /healthz (serve's port + 1). */
export const DEFAULT_WORK_PORT = 9465;
