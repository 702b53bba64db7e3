/**
 * The worker's log metrics, in the process's one registry: partitions owned, lag per partition
 * (from the consumer info: records not yet delivered plus delivered and unacknowledged; the
 * `partition` label is bounded by the stream's P), redeliveries, acknowledgements and lease
 * changes.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface LogMetrics {
  readonly partitionsOwned: Gauge;
  readonly partitionLag: Gauge<'partition'>;
  readonly redeliveries: Counter;
  readonly acks: Counter;
  readonly notStored: Counter;
  readonly unreadable: Counter;
  readonly leaseEvents: Counter<'event'>;
}

export function createLogMetrics(registry: Registry): LogMetrics {
  const registers = [registry];
  return {
    partitionsOwned: new Gauge({ name: 'aisctl_log_partitions_owned', help: 'Partitions this worker holds the lease of', registers }),
    partitionLag: new Gauge({
      name: 'aisctl_log_partition_lag_messages',
      help: 'Records of an owned partition not yet acknowledged (pending + unacknowledged), from the consumer info',
      labelNames: ['partition'],
      registers,
    }),
    redeliveries: new Counter({ name: 'aisctl_log_redeliveries_total', help: 'Records received that had been delivered before', registers }),
    acks: new Counter({ name: 'aisctl_log_acks_total', help: 'Records acknowledged after their writes were durable', registers }),
    notStored: new Counter({
      name: 'aisctl_log_not_stored_total',
      help: 'Records handed back because their batch could be neither stored nor dead-lettered',
      registers,
    }),
    unreadable: new Counter({ name: 'aisctl_log_unreadable_total', help: 'Records that could not be decoded (terminated, never redelivered)', registers }),
    leaseEvents: new Counter({ name: 'aisctl_log_lease_events_total', help: 'Leases acquired, released, lost or expired', labelNames: ['event'], registers }),
  };
}
