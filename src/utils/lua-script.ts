/**
 * A Lua script read once from its `.lua` file (copied beside the compiled module by the build)
 * and run by SHA: the script text crosses the network only when the server answers NOSCRIPT
 * (first use, after a restart or SCRIPT FLUSH, or on a cluster node that has not seen it).
 * The one loader for the hot-state store and the dead-letter queue.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

export class LuaScript {
  readonly text: string;
  readonly sha: string;

  constructor(fileUrl: URL) {
    this.text = readFileSync(fileUrl, 'utf8');
    this.sha = createHash('sha1').update(this.text).digest('hex');
  }

  async run(redis: Redis | Cluster, keys: readonly string[], args: readonly (string | number | Buffer)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
        return redis.eval(this.text, keys.length, ...keys, ...args);
      }
      throw err;
    }
  }

  /** As run, with bulk strings in the reply as Buffers: for scripts returning binary values. */
  async runBuffer(redis: Redis | Cluster, keys: readonly string[], args: readonly (string | number | Buffer)[]): Promise<unknown> {
    try {
      return await redis.callBuffer('EVALSHA', this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
        return redis.callBuffer('EVAL', this.text, keys.length, ...keys, ...args);
      }
      throw err;
    }
  }
}
