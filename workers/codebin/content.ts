/**
 * What a paste's content may be, checked on bytes before anything is stored:
 * at most 1 MiB, not empty, valid UTF-8, no NUL byte. Pure.
 */
export const MAX_CONTENT_BYTES = 1024 * 1024;
/** Above this size, or with a line longer than MAX_HIGHLIGHT_LINE, pastes are shown as plain text. */
export const MAX_HIGHLIGHT_BYTES = 256 * 1024;
export const MAX_HIGHLIGHT_LINE = 10_000;

export type ContentCheck = { ok: true; text: string; bytes: number } | { ok: false; status: 413 | 422; message: string };

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
  return { ok: true, text, bytes: bytes.byteLength };
}

/** Checks text that arrived already decoded (JSON string, form field). */
export function checkText(text: string): ContentCheck {
  if (!text.isWellFormed()) return { ok: false, status: 422, message: BINARY_MESSAGE };
  if (text.includes('\u0000')) return { ok: false, status: 422, message: BINARY_MESSAGE };
  const bytes = new TextEncoder().encode(text).byteLength;
  if (bytes > MAX_CONTENT_BYTES) return tooLarge(bytes);
  if (text.length === 0) return { ok: false, status: 422, message: 'The paste is empty.' };
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

/** Whether the server should run the highlighter at all. */
export function shouldHighlight(text: string, bytes: number): boolean {
  if (bytes > MAX_HIGHLIGHT_BYTES) return false;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) run = 0;
    else if (++run > MAX_HIGHLIGHT_LINE) return false;
  }
  return true;
}
