/**
 * The log between the edge and the workers, as narrow as a Kafka topic with a consumer group:
 * a producer appends records to numbered partitions with an id the log de-duplicates on; a
 * consumer reads one partition with per-record acknowledgement; an ownership protocol says
 * which worker reads which partition (Kafka's group rebalance listener: assigned / revoked).
 * The JetStream implementation is jetstream-*.ts; nothing outside them imports `nats`.
 */

export interface AppendResult {
  /** The log already held a record with this id (within its de-duplication window). */
  readonly duplicate: boolean;
}

export interface LogProducer {
  readonly partitions: number;
  append(partition: number, id: string, payload: Uint8Array): Promise<AppendResult>;
  /** Waits for nothing: callers settle their appends first. */
  close(): Promise<void>;
}

export interface LogRecord {
  readonly partition: number;
  readonly payload: Uint8Array;
  /** 1 on first delivery; more after a takeover or an expired acknowledgement. */
  readonly deliveries: number;
  /** Only once the record's effects are durable. */
  ack(): void;
  /** Hands the record back for redelivery, now or after `delayMs` (not processed, or not stored). */
  retry(delayMs?: number): void;
  /** Never deliver again: a record no worker can read. */
  reject(): void;
}

/**
 * Called for each record in partition order; reading pauses until the returned promise settles,
 * which is how the pipeline's back-pressure reaches the log.
 */
export type RecordHandler = (record: LogRecord) => Promise<void> | void;

export interface PartitionReader {
  /** Stops fetching; records fetched and not yet handed over are given back (retry). */
  stop(): Promise<void>;
}

export interface PartitionStats {
  readonly partition: number;
  /** Appended and never delivered. */
  readonly pending: number;
  /** Delivered and not yet acknowledged. */
  readonly unacknowledged: number;
  readonly redelivered: number;
}

export interface LogConsumer {
  readonly partitions: number;
  read(partition: number, handler: RecordHandler): Promise<PartitionReader>;
  stats(partition: number): Promise<PartitionStats>;
}

export type RevokeReason = 'released' | 'rebalanced' | 'lost' | 'expired';

export interface OwnershipListener {
  assigned(partition: number): Promise<void> | void;
  /** The partition must not be read any more once this settles. */
  revoked(partition: number, reason: RevokeReason): Promise<void> | void;
}

export interface LeaseEvent {
  readonly type: 'acquired' | 'released' | 'lost' | 'expired';
  readonly partition: number;
  readonly owner: string;
  /** The lease's revision on the log's side (KV revision for JetStream). */
  readonly revision: number;
}

export interface PartitionOwnership {
  readonly owner: string;
  start(listener: OwnershipListener): Promise<void>;
  owned(): readonly number[];
  /** Revokes every partition (listener called) and gives the leases up at once. */
  stop(): Promise<void>;
}
