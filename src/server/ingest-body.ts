/** A JSON document arrives whole; a line body as text chunks read as fast as ingest asks. */
export type IngestBody = string | AsyncIterable<string>;

/** The chunks of a body, whichever form it came in. */
export async function* ingestBodyChunks(body: IngestBody): AsyncGenerator<string> {
  if (typeof body === 'string') yield body;
  else yield* body;
}

/** The whole text of a body: for a JSON document, and for tests that look at what arrived. */
export async function ingestBodyText(body: IngestBody): Promise<string> {
  if (typeof body === 'string') return body;
  let text = '';
  for await (const chunk of body) text += chunk;
  return text;
}
