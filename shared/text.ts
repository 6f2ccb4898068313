/**
 * Text a person typed that other people will read (titles, names): one line, no
 * control characters, no text-direction controls. Pure zod, so pure engines may use it.
 */
import * as z from 'zod';

/** Bidirectional overrides and isolates (U+202A–E, U+2066–9) can make text read as something else. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** A trimmed single line of at most `max` characters; `what` names it in messages ("The title"). */
export function displayText(max: number, what: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is missing.` : `${what} must be text.`) })
    .trim()
    .max(max, `Keep ${what.toLowerCase()} to ${max} characters.`)
    .refine((t) => !/\p{Cc}/u.test(t), `${what} cannot contain control characters.`)
    .refine((t) => !BIDI_CONTROLS.test(t), `${what} cannot contain text-direction controls.`);
}
