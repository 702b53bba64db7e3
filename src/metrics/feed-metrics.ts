/**
 * Per-feed health series of `aisctl serve --feed`, on the pipeline's registry. The `feed` label
 * is the configured feed name, so its values are bounded by the command line, never by what a
 * peer sends.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/** A feed's age since its last message (or since it started, before the first one). */
export interface FeedAge {
  readonly feed: string;
  readonly ageSeconds: number;
}

export interface FeedMetrics {
  readonly messages: Counter<'feed'>;
  readonly bytes: Counter<'feed'>;
  readonly datagrams: Counter<'feed'>;
  readonly reconnects: Counter<'feed'>;
  readonly dropped: Counter<'feed' | 'reason'>;
  readonly lastMessageAge: Gauge<'feed'>;
  /**
   * Where the ages come from at scrape time. A gauge set on every message would cost a labelled
   * set per message and still be stale between messages; computing it when scraped costs nothing.
   */
  setAgeSource(source: () => Iterable<FeedAge>): void;
  /** Called before the drop counts are scraped, to bring in counts kept by the kernel. */
  setDropRefresh(refresh: () => void): void;
}

export function createFeedMetrics(registers: Registry[]): FeedMetrics {
  let ages: () => Iterable<FeedAge> = () => [];
  let refreshDrops: () => void = () => undefined;
  return {
    messages: new Counter({
      name: 'aisctl_feed_messages_total',
      help: 'Normalized messages a live feed handed to the pipeline',
      labelNames: ['feed'] as const,
      registers,
    }),
    bytes: new Counter({
      name: 'aisctl_feed_bytes_total',
      help: 'Bytes a live feed received (datagrams, stream bytes or websocket payloads)',
      labelNames: ['feed'] as const,
      registers,
    }),
    datagrams: new Counter({
      name: 'aisctl_feed_datagrams_total',
      help: 'Datagrams a UDP feed received, dropped ones included',
      labelNames: ['feed'] as const,
      registers,
    }),
    reconnects: new Counter({
      name: 'aisctl_feed_reconnects_total',
      help: 'Reconnection attempts of a client feed (tcp://, ws://) after a lost or failed connection',
      labelNames: ['feed'] as const,
      registers,
    }),
    dropped: new Counter({
      name: 'aisctl_feed_dropped_total',
      help:
        'Input a live feed dropped, by reason: saturated (UDP datagrams while the pipeline is full), ' +
        'line_too_long and junk (lines; junk: not NMEA at all), connection_limit (connections refused), ' +
        'not_stored (messages neither stored nor dead-lettered), failing (UDP datagrams dropped unread while batches ' +
        'could not be kept), kernel (UDP datagrams the kernel dropped for a full receive buffer, Linux only)',
      labelNames: ['feed', 'reason'] as const,
      registers,
      collect() {
        refreshDrops();
      },
    }),
    lastMessageAge: new Gauge({
      name: 'aisctl_feed_last_message_age_seconds',
      help: 'Seconds since a live feed last delivered an AIS record (since it started, before the first)',
      labelNames: ['feed'] as const,
      registers,
      collect() {
        this.reset();
        for (const a of ages()) this.set({ feed: a.feed }, a.ageSeconds);
      },
    }),
    setAgeSource(source) {
      ages = source;
    },
    setDropRefresh(refresh) {
      refreshDrops = refresh;
    },
  };
}
