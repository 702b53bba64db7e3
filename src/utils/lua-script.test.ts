import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { LuaScript } from './lua-script.js';

const SOURCE = "return redis.call('GET', KEYS[1])\n";

function scriptFile(): URL {
  const path = join(mkdtempSync(join(tmpdir(), 'aisctl-lua-')), 'get.lua');
  writeFileSync(path, SOURCE);
  return pathToFileURL(path);
}

/** Records the calls a script makes; `known` says whether the server has the script cached. */
function fakeRedis(opts: { known: boolean; evalshaError?: Error }) {
  const calls: string[] = [];
  const client = {
    evalsha: async (sha: string, numKeys: number, ...rest: (string | number)[]) => {
      calls.push(`evalsha ${sha.slice(0, 8)} ${numKeys} ${rest.join(' ')}`);
      if (opts.evalshaError) throw opts.evalshaError;
      if (!opts.known) throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      return 'cached';
    },
    eval: async (text: string, numKeys: number, ...rest: (string | number)[]) => {
      calls.push(`eval ${text === SOURCE ? 'source' : 'other'} ${numKeys} ${rest.join(' ')}`);
      return 'evaluated';
    },
  };
  return { calls, redis: client as unknown as Redis };
}

describe('LuaScript', () => {
  it('reads the file once and names it by the SHA-1 of its text', () => {
    const s = new LuaScript(scriptFile());
    expect(s.text).toBe(SOURCE);
    expect(s.sha).toBe(createHash('sha1').update(SOURCE).digest('hex'));
  });

  it('runs by SHA when the server knows the script', async () => {
    const s = new LuaScript(scriptFile());
    const { calls, redis } = fakeRedis({ known: true });
    await expect(s.run(redis, ['k1'], ['a', 2])).resolves.toBe('cached');
    expect(calls).toEqual([`evalsha ${s.sha.slice(0, 8)} 1 k1 a 2`]);
  });

  it('sends the text only after NOSCRIPT', async () => {
    const s = new LuaScript(scriptFile());
    const { calls, redis } = fakeRedis({ known: false });
    await expect(s.run(redis, ['k1', 'k2'], [])).resolves.toBe('evaluated');
    expect(calls).toEqual([`evalsha ${s.sha.slice(0, 8)} 2 k1 k2`, 'eval source 2 k1 k2']);
  });

  it('passes any other error on without retrying', async () => {
    const s = new LuaScript(scriptFile());
    const { calls, redis } = fakeRedis({ known: true, evalshaError: new Error('ERR wrong number of arguments') });
    await expect(s.run(redis, ['k'], [])).rejects.toThrow('wrong number');
    expect(calls).toHaveLength(1);
  });
});
