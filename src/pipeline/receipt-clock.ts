/**
 * Receive times for inputs that carry no time of their own. Reading a file (or one HTTP body)
 * is far faster than the feed was, so consecutive lines would share a millisecond and two
 * reports of one vessel would collapse onto one (vessel, time) row; a clock that moves at least
 * 1 ms per reading keeps every report distinct and in input order.
 */
export function createReceiptClock(wallNowMs: () => number): () => number {
  let last = 0;
  return () => {
    const t = wallNowMs();
    last = t > last ? t : last + 1;
    return last;
  };
}
