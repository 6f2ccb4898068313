/**
 * zod schemas for Lexicon's forms, JSON API, route parameters and headers, read by
 * the validators of shared/http/validation.tsx. Every body is strict: a field the
 * caller may not set (a requester's `status`, `assigneeId` or `priority`) is a 422
 * naming it, never silently applied or silently dropped. Forms never declare the
 * CSRF field: the form validator strips it (the CSRF middleware has checked it).
 */
import * as z from 'zod';
import { cursorParam } from '../../shared/pagination';
import { HOME } from './paths';
import { QUEUES, type Queue } from './queues';
import { PRIORITIES, STATUSES } from './status';

export const MAX_TAGS = 10;
export const PAGE = 50;

const subject = z.string({ error: 'A subject is required.' }).trim().min(1, 'A subject is required.').max(200, 'Subjects are at most 200 characters.');
const body = z.string({ error: 'A description is required.' }).max(20_000, 'At most 20,000 characters.');
const commentBody = z.string({ error: 'Write something first.' }).trim().min(1, 'Write something first.').max(20_000, 'At most 20,000 characters.');
export const status = z.enum(STATUSES, { error: `Status is one of: ${STATUSES.join(', ')}.` });
export const priority = z.enum(PRIORITIES, { error: `Priority is one of: ${PRIORITIES.join(', ')}.` });
const version = z.coerce.number({ error: 'The ticket version is required.' }).int().min(1, 'The ticket version is required.');

/**
 * The one-time key a creating form carries (and the API's Idempotency-Key header):
 * a replay with the same key answers with what the first request made.
 */
export const submissionKey = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'This form is out of date. Reload the page and send it again.');
const idempotencyKey = submissionKey.optional();

/** A ticket's id in a route (`/tickets/:id`); anything else names a ticket that does not exist (a 404, see params()). */
export const ticketIdSchema = z
  .string()
  .regex(/^\d{1,12}$/)
  .transform(Number);
export const TicketParams = z.object({ id: ticketIdSchema });

/** The API's Idempotency-Key header (a retried POST with it creates nothing new). */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, 'Idempotency-Key is 16 to 64 letters, digits, "-" or "_" (a UUID will do).')
    .optional(),
});

export const queue = z.enum(QUEUES, { error: `Queue is one of: ${QUEUES.join(', ')}.` });
/** The queue whose list is on screen ("" for a search), so the answer can drop a row that left it. */
const list = queue.or(z.literal('')).optional();

/** One tag: trimmed, inner whitespace collapsed, 1–40 characters, no commas (the form separates tags with them). */
const tag = z
  .string()
  .transform((t) => t.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, 'Tags cannot be empty.').max(40, 'Tags are at most 40 characters.'))
  .refine((t) => !t.includes(','), 'Tags cannot contain commas.')
  .refine((t) => !/[\u0000-\u001f\u007f]/.test(t), 'Tags cannot contain control characters.');
const tagList = z.array(tag).max(MAX_TAGS, `At most ${MAX_TAGS} tags.`);
/** The form's comma-separated tags ("vpn, network") → a list. */
const tagsText = z
  .string()
  .max(MAX_TAGS * 42, `At most ${MAX_TAGS} tags.`)
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .pipe(tagList);

/** New ticket from a requester: subject, body, tags; nothing else. */
export const RequesterTicket = z.object({ subject, body, tags: tagList.optional().default([]) }).strict();
/** New ticket from an agent: may also set the priority. */
export const StaffTicket = RequesterTicket.extend({ priority: priority.optional().default('normal') }).strict();
export const RequesterTicketForm = z.object({ subject, body, tags: tagsText.optional().default([]), idempotencyKey }).strict();
export const StaffTicketForm = RequesterTicketForm.extend({ priority: priority.optional().default('normal'), list }).strict();

export const CommentPost = z.object({ body: commentBody, internal: z.boolean().optional().default(false) }).strict();
export const CommentForm = z.object({ body: commentBody, idempotencyKey }).strict();

/** The assignee as a form sends it: "me", "" (nobody), or a user id. */
const assigneeText = z.union([z.literal('me'), z.literal(''), z.string().regex(/^\d{1,12}$/, 'Choose an agent.')]);

export const StatusForm = z.object({ status, version, list }).strict();
export const PriorityForm = z.object({ priority, version, list }).strict();
export const AssignForm = z.object({ assignee: assigneeText, version, list }).strict();
export const TagsForm = z.object({ tags: tagsText, version, list }).strict();

/** PATCH /lexicon/api/tickets/:id: the version read, and at least one change. */
export const TicketPatch = z
  .object({
    version: z.number({ error: '“version” (the ticket version you read) is required.' }).int().min(1),
    status: status.optional(),
    priority: priority.optional(),
    assigneeId: z.number().int().positive().nullable().optional(),
    tags: tagList.optional(),
  })
  .strict()
  .refine((p) => p.status !== undefined || p.priority !== undefined || p.assigneeId !== undefined || p.tags !== undefined, {
    message: 'Send at least one of: status, priority, assigneeId, tags.',
  });

const ids = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^\d{1,12}$/, 'Ticket ids are numbers.')
          .transform(Number),
      )
      .min(1, 'Select at least one ticket.')
      .max(200, 'At most 200 tickets at once.'),
  );

export const BulkForm = z
  .object({
    ids: ids.optional(),
    action: z.enum(['status', 'assign'], { error: 'Choose an action.' }),
    status: status.or(z.literal('')).optional(),
    assignee: assigneeText.optional(),
  })
  .strict();

/** A keyset cursor (`updatedAt.id`, `dueAt.id` or `createdAt.id`) as the list and thread links carry it. */
const cursor = cursorParam({ key: 'int', id: 'int' });

/*
 * Queries of pages a browser opens are NOT strict: links carry parameters we never
 * asked for (utm_*, fbclid, a bookmark's leftovers), and a 422 for a page someone
 * only wanted to read helps nobody. Unknown keys are dropped; the keys we do read are
 * still validated. Bodies and the JSON API stay strict.
 */
export const QueueQuery = z.object({ queue: queue.optional(), after: cursor.optional() });
export const SearchQuery = z.object({ q: z.string().max(200, 'Search terms are at most 200 characters.').optional().default('') });
/** Which page of a ticket's conversation a ticket page shows: the newest (no key), before or after a comment. */
export const ThreadQuery = z.object({ before: cursor.optional(), after: cursor.optional() });
export const ApiThreadQuery = ThreadQuery.strict();
export const ApiListQuery = z
  .object({
    status: status.optional(),
    queue: queue.optional(),
    cursor: cursor.optional(),
    limit: z.coerce.number().int().min(1).max(100, 'limit is at most 100.').optional().default(PAGE),
  })
  .strict();
export const UsersQuery = z
  .object({ after: cursorParam({ id: 'int' }).optional(), limit: z.coerce.number().int().min(1).max(100).optional().default(PAGE) })
  .strict();

// ---------------------------------------------------------------- values read outside a validator

/** The queue a refused form said was on screen (its `list` field), if it is one. */
export function listedQueue(value: unknown): Queue | undefined {
  return queue.optional().catch(undefined).parse(value);
}

/** The submitted one-time key, if it is one we could have made (to render again after a refusal). */
export function keptKey(value: unknown): string | undefined {
  return submissionKey.optional().catch(undefined).parse(value);
}

/** The queue a Lexicon URL shows (`/lexicon?queue=…`, New by default), or null for any other page. */
export function queueOfUrl(url: string | undefined): Queue | null {
  if (!url || !URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.pathname !== HOME) return null;
  return queue
    .nullable()
    .catch(null)
    .parse(parsed.searchParams.get('queue') ?? 'new');
}
