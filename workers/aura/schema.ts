/** Aura's request shapes (zod, strict): the room id in the URL and the owner's forms. */
import * as z from 'zod';

/** 16 random bytes, base64url: 22 characters. Anything else cannot be a room (the same 404 as a missing one). */
export const RoomParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{22}$/) }).strict();

const title = z
  .string()
  .trim()
  .max(80, 'Keep the title to 80 characters.')
  .refine((t) => !/\p{Cc}/u.test(t), 'The title cannot contain control characters.')
  // Bidirectional overrides and isolates can make a title read as something else (U+202A–E, U+2066–9).
  .refine((t) => !/[\u202A-\u202E\u2066-\u2069]/.test(t), 'The title cannot contain text-direction controls.')
  .default('');

const checkbox = z
  .enum(['on'])
  .optional()
  .transform((v) => v === 'on');

export const CreateRoomForm = z.object({ title }).strict();

export const UpdateRoomForm = z.object({ title, locked: checkbox, openPresenting: checkbox }).strict();

/** A control form posted without JavaScript: validated as a protocol message (protocol.ts `parseForm`). */
export const ControlForm = z.record(z.string(), z.string().max(200));
