import { sixbitText, ubits } from '../sixbit.js';
import type { TextDescription } from './application-types.js';

/** DAC 1 FID 29 (type 8, text from bit 66) and FID 30 (type 6, text from bit 98), IMO289. */
export function decodeTextDescription(p: string, bitlen: number, linkageAt: number): TextDescription {
  const textAt = linkageAt + 10;
  return {
    kind: 'text-description',
    linkage: ubits(p, linkageAt, 10),
    text: bitlen > textAt ? sixbitText(p, textAt, Math.floor((bitlen - textAt) / 6)) : '',
  };
}
