/**
 * What a paste's content may be, checked on bytes before anything is stored:
 * at most 1 MiB, not empty, valid UTF-8, no NUL byte. Pure.
 */
export const MAX_CONTENT_BYTES = 1024 * 1024;
/** Above this size pastes are never highlighted. */
export const MAX_HIGHLIGHT_BYTES = 256 * 1024;
/**
 * Lines longer than this are not tokenized (they are shown uncoloured inside an
 * otherwise highlighted paste). TextMate grammars run through the JavaScript regex
 * engine are super-linear on long lines (10,000 × `a` as TypeScript: 8 s), and a
 * Worker cannot time a loop (Date.now() only advances on I/O in production), so the
 * cap, not a timer, is what bounds one line's cost.
 */
export const MAX_TOKENIZED_LINE = 200;
/** A highlighted or line-numbered rendering has at most this many lines (≈115 B of markup each). */
export const MAX_RENDER_LINES = 20_000;
/**
 * What highlighting may cost, in the units of `highlightCost` (≈ ms of CPU for both
 * themes on this repo's bench machine, for the worst grammar and input measured: see
 * bench/RESULTS.md). Inline: on the request that creates the paste or changes its
 * language. Background: in the Queue consumer, which has far more CPU time.
 */
export const INLINE_HIGHLIGHT_BUDGET = 250;
export const BACKGROUND_HIGHLIGHT_BUDGET = 5_000;
/**
 * Per tokenized character, per character² and per character³ of a line. The cubic
 * term is there because some grammars are worse than quadratic on hostile lines (a
 * run of `<` as shellscript: 19 ms a line at 200 characters, 61 ms at 300); it
 * overcharges ordinary code a little, which only moves it to the background sooner.
 */
const COST_PER_CHAR = 0.004;
const COST_PER_CHAR_SQUARED = 0.00006;
const COST_PER_CHAR_CUBED = 0.0000025;

export type ContentCheck = { ok: true; text: string; bytes: number } | { ok: false; status: 413 | 422; message: string };

export const BLANK_MESSAGE = 'The paste is empty: it has only spaces, tabs or line breaks.';
export const BINARY_MESSAGE = 'binary files are not supported (the content has a NUL byte or is not valid UTF-8)';

/** Decodes uploaded bytes exactly: a BOM is kept, invalid UTF-8 is refused (not replaced). */
export function checkBytes(bytes: Uint8Array): ContentCheck {
  if (bytes.byteLength > MAX_CONTENT_BYTES) return tooLarge(bytes.byteLength);
  if (bytes.byteLength === 0) return { ok: false, status: 422, message: 'The paste is empty.' };
  if (bytes.includes(0)) return { ok: false, status: 422, message: BINARY_MESSAGE };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, status: 422, message: BINARY_MESSAGE };
  }
  if (text.trim() === '') return { ok: false, status: 422, message: BLANK_MESSAGE };
  return { ok: true, text, bytes: bytes.byteLength };
}

/** Checks text that arrived already decoded (JSON string, form field). */
export function checkText(text: string): ContentCheck {
  if (!text.isWellFormed()) return { ok: false, status: 422, message: BINARY_MESSAGE };
  if (text.includes('\u0000')) return { ok: false, status: 422, message: BINARY_MESSAGE };
  const bytes = new TextEncoder().encode(text).byteLength;
  if (bytes > MAX_CONTENT_BYTES) return tooLarge(bytes);
  if (text.length === 0) return { ok: false, status: 422, message: 'The paste is empty.' };
  if (text.trim() === '') return { ok: false, status: 422, message: BLANK_MESSAGE };
  return { ok: true, text, bytes };
}

function tooLarge(bytes: number): ContentCheck {
  return { ok: false, status: 413, message: `The paste is ${(bytes / 1024 / 1024).toFixed(2)} MiB; the limit is 1 MiB.` };
}

/** Lines as a person counts them: a final newline does not start another line. */
export function countLines(text: string): number {
  return text.length === 0 ? 0 : splitLines(text).length;
}

/** Splits into display lines (CRLF, LF or lone CR), without a phantom last line after a final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * An upper bound on what Shiki will spend on `text` (see the budgets above): per
 * line, linear plus quadratic plus cubic in its length, with lines of
 * MAX_TOKENIZED_LINE or more counted as skipped (Shiki leaves them uncoloured).
 * Lines are split exactly as Shiki splits them, on `\n` (a `\r` before it counts as
 * a character, and a lone `\r` does not end a line: treating it as a break let a
 * hostile paste look 20× cheaper than it was). Pure and O(n).
 */
export function highlightCost(text: string): number {
  let cost = 0;
  let run = 0;
  const line = () => {
    if (run > 0 && run < MAX_TOKENIZED_LINE) cost += run * COST_PER_CHAR + run * run * COST_PER_CHAR_SQUARED + run * run * run * COST_PER_CHAR_CUBED;
    run = 0;
  };
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) line();
    else run++;
  }
  line();
  return cost;
}

export type HighlightPlan = 'now' | 'background' | 'never';

/**
 * Where a paste gets highlighted: on this request if it fits the inline budget, in
 * the Queue consumer if it fits the background one, otherwise never (plain text).
 */
export function highlightPlan(text: string, bytes: number): HighlightPlan {
  if (bytes > MAX_HIGHLIGHT_BYTES || countLines(text) > MAX_RENDER_LINES) return 'never';
  const cost = highlightCost(text);
  if (cost <= INLINE_HIGHLIGHT_BUDGET) return 'now';
  return cost <= BACKGROUND_HIGHLIGHT_BUDGET ? 'background' : 'never';
}

/** Bidirectional controls (Trojan Source: CVE-2021-42574): embeddings, overrides, isolates, marks. */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
/**
 * Characters that render as nothing: zero-width space and joiners' lookalikes, word
 * joiner and invisible operators, soft hyphen, fillers, tag characters, and a BOM
 * anywhere but the start. ZWJ (U+200D) and variation selectors are left out: emoji
 * sequences use them.
 */
const INVISIBLE = /[\u200b\u200c\u2060-\u2064\u00ad\u180e\u3164\u115f\u1160\uffa0]|\udb40[\udc00-\udc7f]|(?!^)\ufeff/;

export const HIDDEN_BIDI = 1;
export const HIDDEN_INVISIBLE = 2;

/** A bit set (HIDDEN_BIDI | HIDDEN_INVISIBLE) of the kinds of hidden characters in `text`, as GitHub warns about. */
export function hiddenCharacters(text: string): number {
  return (BIDI.test(text) ? HIDDEN_BIDI : 0) | (INVISIBLE.test(text) ? HIDDEN_INVISIBLE : 0);
}
