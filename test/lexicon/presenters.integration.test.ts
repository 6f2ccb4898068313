/**
 * The API's answers are the shapes presenters.ts declares (and the OpenAPI document
 * shows): each answer parses with its schema, made strict, so a field added to an
 * answer but not to its schema (or the other way round) fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import * as presenters from '../../workers/lexicon/presenters';
import { api, person, ticketAt, type Person } from '../support/lexicon';

let agent: Person;
let requester: Person;

beforeAll(async () => {
  await person('admin');
  agent = await person('agent', 'Alan Agent');
  requester = await person('member', 'Rita Requester');
});

/** The schema with every object in it strict (no key it does not name). */
function strict(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) return z.strictObject(Object.fromEntries(Object.entries(schema.shape).map(([k, v]) => [k, strict(v as z.ZodType)])));
  if (schema instanceof z.ZodArray) return z.array(strict(schema.element as z.ZodType));
  if (schema instanceof z.ZodNullable) return strict(schema.unwrap() as z.ZodType).nullable();
  if (schema instanceof z.ZodOptional) return strict(schema.unwrap() as z.ZodType).optional();
  return schema;
}

async function answer(res: Promise<Response>, status: number, schema: z.ZodType): Promise<unknown> {
  const r = await res;
  const body: unknown = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(status);
  const parsed = strict(schema).safeParse(body);
  expect(parsed.success, parsed.success ? '' : z.prettifyError(parsed.error)).toBe(true);
  return body;
}

describe('every API answer is its presenter’s shape', () => {
  it('tickets: create, list, one, change; comments: post, page; users', async () => {
    const created = (await answer(api(requester, '/tickets', { json: { subject: 'Shape check', body: 'b', tags: ['x'] } }), 201, presenters.OneTicket)) as {
      ticket: { id: number };
    };
    const id = created.ticket.id;
    await answer(api(agent, '/tickets?status=new&limit=2'), 200, presenters.TicketList);
    await answer(api(requester, '/tickets'), 200, presenters.TicketList);
    await answer(api(agent, `/tickets/${id}/comments`, { json: { body: 'A reply' } }), 201, presenters.CommentPosted);
    await answer(api(agent, `/tickets/${id}/comments`, { json: { body: 'A note', internal: true } }), 201, presenters.CommentPosted);
    await answer(api(agent, `/tickets/${id}`), 200, presenters.TicketDetailAnswer);
    await answer(api(requester, `/tickets/${id}`), 200, presenters.TicketDetailAnswer);
    await answer(
      api(agent, `/tickets/${id}`, { method: 'PATCH', json: { version: 2, status: 'open', assigneeId: agent.id } }),
      200,
      presenters.TicketDetailAnswer,
    );
    await answer(api(agent, `/tickets/${id}/comments`), 200, presenters.CommentPage);
    await answer(api(agent, '/users?limit=2'), 200, presenters.UserList);
  });

  it('a reply to a closed ticket: the follow-up it opened', async () => {
    const closed = await ticketAt(requester, agent, 'closed');
    await answer(api(requester, `/tickets/${closed.id}/comments`, { json: { body: 'It is back.' } }), 201, presenters.CommentPosted);
  });
});
