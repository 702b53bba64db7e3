/**
 * How deep a JSON text nests, found by one scan of the text and without recursion. JSON.parse
 * itself takes any depth, but whatever walks the parsed value recursively afterwards
 * (JSON.stringify, a structured clone, a logger) overflows the stack at around 10,000 levels:
 * a 100,000-level object posted to `serve` answered 500 from JSON.stringify. No AIS record
 * nests more than a few levels, so input is refused well before that.
 */

/** No record format aisctl reads nests deeper than 4; this leaves room for wrappers. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * True when `text` opens more than `max` arrays or objects inside one another. Brackets inside
 * strings do not count. The text need not be valid JSON: invalid text is JSON.parse's to refuse.
 */
export function jsonDepthExceeds(text: string, max: number = MAX_JSON_DEPTH): boolean {
  // Fewer openers than the limit cannot nest past it. Counting them with the native indexOf
  // costs 0.02 us on a typical 170-character record against 0.32 us for the character loop
  // below (JSON.parse of the same line: 0.46 us), and almost every line takes this exit.
  if (openersAtMost(text, max)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

function openersAtMost(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) if (++n > max) return false;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) if (++n > max) return false;
  return true;
}
