import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [5 * 1024 ** 2, '5.0 MiB'],
    [1.5 * 1024 ** 3, '1.5 GiB'],
    [2048 * 1024 ** 4, '2048.0 TiB'],
  ])('%d -> %s', (n, text) => expect(formatBytes(n)).toBe(text));
});
