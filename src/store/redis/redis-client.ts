import type { Cluster, Redis } from 'ioredis';

/** Either client the Redis adapters accept; a cluster is chosen by the URL or `--redis-cluster`. */
export type RedisClient = Redis | Cluster;
