/**
 * Oracle's JSON API (mounted at /oracle by routes.ts). Errors are problem+json.
 *
 *   GET  /api/switches                 yours (scope `oracle`)
 *   POST /api/switches                 a new switch → 201 (scope `oracle`)
 *   GET  /api/switches/:id             one, with its state and deadline (scope `oracle`)
 *   POST /api/switches/:id/checkin     check in (scope `oracle:checkin`): 409 once it has fired
 *
 * Recipients and messages are made on the pages: a message is sealed in the browser.
 */
import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { currentAuth, requireScope, requireUser } from '../../shared/auth/middleware';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { audit, logRef } from '../../shared/http/logging';
import { api } from '../../shared/http/openapi';
import { refusal } from '../../shared/http/refusal';
import { json, params } from '../../shared/http/validation';
import { deadlineOf, firesAt, STATES } from './lifecycle';
import { apiPaths, paths } from './paths';
import { REFUSALS } from './refusals';
import * as repo from './repository';
import * as schema from './schema';
import * as service from './service';

const jsonApi = new Hono<AppEnv>();
const tag = 'Oracle';

jsonApi.use('/api/*', requireUser());

const switchParam = params(schema.SwitchParam, REFUSALS.missing.message);
const origin = (c: Context) => new URL(c.req.url).origin;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const SwitchJson = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(STATES),
  interval_ms: z.number(),
  grace_ms: z.number(),
  warnings_ms: z.array(z.number()),
  checked_in_at: z.string(),
  deadline_at: z.string().describe('When grace starts (ISO 8601).'),
  fires_at: z.string().nullable().describe('When it fires unless you check in; null once fired or while paused.'),
  paused_until: z.string().nullable(),
  trusted_contact: z.string().nullable(),
  postponed_ms: z.number().describe('What the trusted contact added to this deadline (0: not used).'),
  triggered_at: z.string().nullable(),
  url: z.string(),
});

function switchJson(c: Context, stored: repo.SwitchRow): z.infer<typeof SwitchJson> {
  const s = service.current(stored, now());
  const live = s.state !== 'paused' && s.state !== 'triggered' && s.state !== 'completed';
  return {
    id: s.id,
    name: s.name,
    state: s.state,
    interval_ms: s.intervalMs,
    grace_ms: s.graceMs,
    warnings_ms: [...s.ladder],
    checked_in_at: iso(s.checkedInAt)!,
    deadline_at: iso(deadlineOf(s))!,
    fires_at: live ? iso(firesAt(s)) : null,
    paused_until: iso(s.pausedUntil),
    trusted_contact: s.trustedContact,
    postponed_ms: s.postponedMs,
    triggered_at: iso(s.triggeredAt),
    url: `${origin(c)}${paths.switch(s.id)}`,
  };
}

async function ownSwitch(c: Context<AppEnv>, id: string): Promise<repo.SwitchRow> {
  const s = await repo.findOwnSwitch(c.env.DB, id, currentAuth(c).user.id);
  if (!s) throw refusal(REFUSALS, 'missing');
  return s;
}

jsonApi.get(
  '/api/switches',
  api({
    tag,
    scope: 'oracle',
    summary: 'Your switches',
    responses: { 200: { description: 'Oldest first.', schema: z.object({ switches: z.array(SwitchJson) }) } },
  }),
  requireScope('oracle'),
  async (c) => c.json({ switches: (await repo.listSwitches(c.env.DB, currentAuth(c).user.id)).map((s) => switchJson(c, s)) }),
);

jsonApi.post(
  '/api/switches',
  api({
    tag,
    scope: 'oracle',
    summary: 'Create a switch',
    description: 'Durations as text: `30d`, `12h`, `2w`. Grace ≤ interval; each warning shorter than the interval; at most 5 warnings. Armed from now.',
    responses: { 201: { description: 'The switch (Location: its API URL).', schema: SwitchJson } },
    errors: [409],
  }),
  requireScope('oracle'),
  json(schema.SwitchSettings),
  async (c) => {
    const user = currentAuth(c).user;
    const made = await service.createSwitch(c.env, user.id, c.req.valid('json'), origin(c), now());
    if (!made.ok) throw refusal(REFUSALS, made.reason);
    audit('oracle.switch_created', { actor_id: user.id, switch: await logRef(c.env.SESSION_SECRET, made.id), via: 'api' });
    c.header('location', apiPaths.switch(made.id));
    return c.json(switchJson(c, (await repo.findOwnSwitch(c.env.DB, made.id, user.id))!), 201);
  },
);

jsonApi.get(
  '/api/switches/:id',
  api({ tag, scope: 'oracle', summary: 'One switch', responses: { 200: { description: 'Its state and deadline.', schema: SwitchJson } }, errors: [404] }),
  requireScope('oracle'),
  switchParam,
  async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(switchJson(c, await ownSwitch(c, c.req.valid('param').id)));
  },
);

jsonApi.post(
  '/api/switches/:id/checkin',
  api({
    tag,
    scope: 'oracle:checkin',
    summary: 'Check in',
    description:
      'A full interval from now (a paused switch resumes). A switch that has fired answers 409: messages that went out cannot be stopped. Scope `oracle:checkin` (or `oracle`).',
    responses: { 200: { description: 'The switch after the check-in.', schema: SwitchJson } },
    errors: [404, 409],
  }),
  // The narrow scope is for a cron job's token; a token that manages switches may check in too.
  requireScope('oracle:checkin', 'oracle'),
  switchParam,
  async (c) => {
    const s = await ownSwitch(c, c.req.valid('param').id);
    const result = await service.checkIn(c.env, s, now());
    if (!result.ok) throw refusal(REFUSALS, result.reason);
    audit('oracle.checked_in', { actor_id: s.ownerId, switch: await logRef(c.env.SESSION_SECRET, s.id), via: 'api' });
    return c.json(switchJson(c, result.switch));
  },
);

export default jsonApi;
