import { describe, expect, it } from 'vitest';
import { bearerToken, createBearerCheck } from './bearer-auth.js';

const TOKEN = '0123456789abcdef0123456789abcdef';

describe('bearer auth', () => {
  it('takes the token of an Authorization: Bearer header, whatever the case of the scheme', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`bearer   ${TOKEN} `)).toBe(TOKEN);
    expect(bearerToken(`Basic ${TOKEN}`)).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('accepts exactly the token: not a prefix, an extension, another case or nothing', () => {
    const ok = createBearerCheck(TOKEN);
    expect(ok(`Bearer ${TOKEN}`)).toBe(true);
    for (const bad of [undefined, '', 'Bearer ', `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}0`, `Bearer ${TOKEN.toUpperCase()}`, TOKEN]) {
      expect(ok(bad)).toBe(false);
    }
  });

  it('refuses tokens too short to resist guessing', () => {
    expect(() => createBearerCheck('short')).toThrow(/at least 16/);
  });
});
