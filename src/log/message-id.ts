/**
 * The `Nats-Msg-Id` of a message: a digest of what it says, not of where it was read. A file
 * published twice (or two copies of it) yields the same ids, so the server's duplicate window
 * drops the second copy. `origin` (file and line) is left out for that reason. Messages timed on
 * receipt (`timeFromReceipt`) carry the time they were read, so a republished copy is not a
 * duplicate of the first: the stores' upsert on (vessel, time) still keeps one row per fix time.
 */
import { createHash } from 'node:crypto';
import type { NormalizedMessage } from '../normalize/message.js';

export function messageId(msg: NormalizedMessage): string {
  const { origin: _origin, ...content } = msg;
  // JSON.stringify keeps insertion order; every reader builds messages through report-builder,
  // which fixes the field order, so equal content gives equal text.
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 32);
}
