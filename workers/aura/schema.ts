/** Aura's request shapes (zod, strict): the room id in the URL and the owner's forms. */
import * as z from 'zod';
import { displayText } from '../../shared/text';

/** 16 random bytes, base64url: 22 characters. Anything else cannot be a room (the same 404 as a missing one). */
export const RoomParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{22}$/) }).strict();

const title = displayText(80, 'The title').default('');

const checkbox = z
  .enum(['on'])
  .optional()
  .transform((v) => v === 'on');

export const CreateRoomForm = z.object({ title }).strict();

export const UpdateRoomForm = z.object({ title, locked: checkbox, openPresenting: checkbox }).strict();

/** A control form posted without JavaScript: validated as a protocol message (protocol.ts `parseForm`). */
export const ControlForm = z.record(z.string(), z.string().max(200));
