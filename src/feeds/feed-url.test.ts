import { describe, expect, it } from 'vitest';
import { AisctlError } from '../errors/aisctl-error.js';
import { FeedConfigError, parseFeedSpec, parseFeedSpecs } from './feed-url.js';

describe('parseFeedSpec', () => {
  it('reads each transport and derives a name from the URL', () => {
    expect(parseFeedSpec('udp://0.0.0.0:10110')).toEqual({
      name: 'udp-10110',
      kind: 'udp',
      host: '0.0.0.0',
      port: 10110,
      url: 'udp://0.0.0.0:10110',
      where: 'udp 0.0.0.0:10110',
    });
    expect(parseFeedSpec('tcp-listen://127.0.0.1:5631')).toMatchObject({ name: 'tcp-listen-5631', kind: 'tcp-listen', where: 'tcp 127.0.0.1:5631' });
    expect(parseFeedSpec('tcp://10.0.0.5:2000')).toMatchObject({ name: 'tcp-10.0.0.5-2000', kind: 'tcp', host: '10.0.0.5', port: 2000 });
    expect(parseFeedSpec('wss://stream.aisstream.io/v0/stream')).toMatchObject({
      name: 'wss-stream.aisstream.io',
      kind: 'ws',
      port: 443,
      url: 'wss://stream.aisstream.io/v0/stream',
    });
    expect(parseFeedSpec('ws://127.0.0.1:8080/stream')).toMatchObject({ name: 'ws-127.0.0.1-8080', kind: 'ws', port: 8080 });
  });

  it('takes NAME= in front, and leaves a query string alone', () => {
    expect(parseFeedSpec('harbour=udp://127.0.0.1:10110')).toMatchObject({ name: 'harbour', kind: 'udp', port: 10110 });
    expect(parseFeedSpec('ws://127.0.0.1:8080/s?a=b')).toMatchObject({ name: 'ws-127.0.0.1-8080', url: 'ws://127.0.0.1:8080/s?a=b' });
    expect(parseFeedSpec('rx.north_1=tcp://rx:4001')).toMatchObject({ name: 'rx.north_1', host: 'rx' });
  });

  it('accepts IPv6 hosts and port 0 for listeners only', () => {
    expect(parseFeedSpec('udp://[::1]:0')).toMatchObject({ host: '::1', port: 0, where: 'udp [::1]:0' });
    expect(() => parseFeedSpec('tcp://127.0.0.1:0')).toThrow(/port 0 is out of range/);
  });

  it('refuses what it cannot use, as a one-line error naming the feed', () => {
    const cases: Array<[string, RegExp]> = [
      ['http://x:1', /unknown scheme 'http'/],
      ['udp://127.0.0.1', /no port/],
      ['udp://:10110', /expected \[NAME=\]udp/],
      ['tcp://127.0.0.1:2000/path', /no path or query/],
      ['udp://127.0.0.1:70000', /expected|out of range/],
      ['udp://user:secret@127.0.0.1:1', /credentials/],
      ['bad name=udp://127.0.0.1:1', /expected|unknown scheme/],
      ['-x=udp://127.0.0.1:1', /expected|unknown scheme/],
      ['', /expected/],
    ];
    for (const [text, message] of cases) {
      let caught: unknown = null;
      try {
        parseFeedSpec(text);
      } catch (err) {
        caught = err;
      }
      expect(caught, text).toBeInstanceOf(FeedConfigError);
      expect(caught).toBeInstanceOf(AisctlError);
      expect((caught as Error).message, text).toMatch(message);
      expect((caught as Error).message, text).toContain(`feed '${text}'`);
    }
  });

  it('refuses two feeds with one name', () => {
    expect(() => parseFeedSpecs(['udp://127.0.0.1:10110', 'udp://0.0.0.0:10110'])).toThrow(/both named 'udp-10110'/);
    expect(parseFeedSpecs(['a=udp://127.0.0.1:10110', 'b=udp://0.0.0.0:10110']).map((s) => s.name)).toEqual(['a', 'b']);
  });
});
