/**
 * A Lua script read once from its .lua file beside this module and run by SHA, falling back to
 * EVAL when the server does not know it yet (first use, or after a restart flushed the cache).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

export interface LuaScript {
  readonly name: string;
  run(redis: Redis | Cluster, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

export function loadLuaScript(fileUrl: URL): LuaScript {
  const source = readFileSync(fileUrl, 'utf8');
  const sha = createHash('sha1').update(source).digest('hex');
  const name = fileUrl.pathname.split('/').pop() ?? fileUrl.pathname;
  return {
    name,
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
          return redis.eval(source, keys.length, ...keys, ...args);
        }
        throw err;
      }
    },
  };
}
