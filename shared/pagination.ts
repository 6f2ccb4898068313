/**
 * Keyset pagination, one way everywhere: ask the database for `limit + 1` rows
 * after the cursor, show `limit`, and if the extra row came back, the last shown
 * row's key is the next cursor. No OFFSET (its cost grows with the page number) and
 * no COUNT.
 *
 * A cursor is the key parts joined by `.` (`1732960000000.42`): short, URL-safe,
 * readable in a link, and decoded by `cursorParam`, which refuses anything this
 * server could not have given out. Parts are integers or ids of `[A-Za-z0-9_-]`.
 */
import * as z from 'zod';

export type CursorPart = string | number;

export function encodeCursor(parts: readonly CursorPart[]): string {
  return parts.join('.');
}

/** The page of `rows` (fetched with `limit + 1`) and the cursor after it, if there is more. */
export function keysetPage<T, C>(rows: readonly T[], limit: number, cursorOf: (last: T) => C): { items: T[]; next: C | null } {
  if (rows.length <= limit) return { items: rows.slice(), next: null };
  const items = rows.slice(0, limit);
  return { items, next: cursorOf(items[items.length - 1]!) };
}

const MESSAGE = 'That page cursor is not one this server gave out; start from the first page.';

const part = {
  int: z.coerce.number<string>().int().min(0).max(Number.MAX_SAFE_INTEGER),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
};

/**
 * A query parameter holding a cursor: `cursorParam({ key: 'int', id: 'int' })`
 * decodes `123.45` to `{ key: 123, id: 45 }` (a 422 with one clear message otherwise).
 */
export function cursorParam<const K extends Record<string, keyof typeof part>>(shape: K) {
  const names = Object.keys(shape) as (keyof K & string)[];
  return z
    .string()
    .max(200, MESSAGE)
    .transform((raw, ctx) => {
      const pieces = raw.split('.');
      const out: Record<string, unknown> = {};
      if (pieces.length !== names.length) {
        ctx.addIssue({ code: 'custom', message: MESSAGE });
        return z.NEVER;
      }
      for (const [i, name] of names.entries()) {
        const parsed = part[shape[name]!].safeParse(pieces[i]);
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: MESSAGE });
          return z.NEVER;
        }
        out[name] = parsed.data;
      }
      return out as { [P in keyof K]: K[P] extends 'int' ? number : string };
    });
}
