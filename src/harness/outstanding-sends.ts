/**
 * Messages not yet durable per send, for sends numbered upwards by the load generator (the load
 * runner's completion tracking). A ring of counts indexed by send number: every send is an
 * insert and a delete, and a Map<number, number> doing that 10,000 times a second rebuilt its
 * table every few dozen sends; the tables outlived young-generation GC and were 34 of the 348 MB
 * that reached the old generation in 30 s of `aisctl load --rate 10000` (sampled heap profile).
 * The ring grows (doubling) while the oldest unsettled send is further back than it holds, so a
 * send stuck behind a failing store costs memory in proportion to the sends since, not a wrong
 * count.
 */
export class OutstandingSends {
  private counts = new Int32Array(1024);
  private mask = 1023;
  /** Every send below `low` is settled (count 0). */
  private low = 0;
  /** One past the highest send ever set. */
  private high = 0;

  /** Messages outstanding for `seq` (0: none, or never set). */
  get(seq: number): number {
    return seq < this.low || seq >= this.high ? 0 : (this.counts[seq & this.mask] as number);
  }

  /** Sets the messages outstanding for `seq` (> 0); sends are numbered upwards. */
  set(seq: number, count: number): void {
    // Empty: the window starts here (numbering need not start at 0).
    if (this.low === this.high) this.low = this.high = seq;
    else if (seq < this.low) this.low = seq;
    while (Math.max(seq, this.high - 1) - this.low >= this.counts.length) this.grow();
    if (seq >= this.high) this.high = seq + 1;
    this.counts[seq & this.mask] = count;
  }

  /** Forgets `seq` (settled). */
  delete(seq: number): void {
    if (seq < this.low || seq >= this.high) return;
    this.counts[seq & this.mask] = 0;
    while (this.low < this.high && this.counts[this.low & this.mask] === 0) this.low++;
  }

  /** Sends with messages outstanding: for tests. */
  get size(): number {
    let n = 0;
    for (let s = this.low; s < this.high; s++) if ((this.counts[s & this.mask] as number) > 0) n++;
    return n;
  }

  private grow(): void {
    const next = new Int32Array(this.counts.length * 2);
    const mask = next.length - 1;
    for (let s = this.low; s < this.high; s++) next[s & mask] = this.counts[s & this.mask] as number;
    this.counts = next;
    this.mask = mask;
  }
}
