import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../workers/index';
import { expect, it } from 'vitest';
import { SESSION_RETENTION_MS } from '../../shared/auth/repository';
import { Client, signedUp } from '../support/client';

it('/healthz reports D1 and the latest migration', async () => {
  const res = await new Client().fetch('/healthz');
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await res.json()).toMatchObject({ status: 'ok', checks: { d1: { status: 'ok', latest_migration: expect.stringMatching(/^\d{4}_\w+\.sql$/) } } });
});

it('the cron purges sessions that ended long ago and keeps recent ones', async () => {
  const a = await signedUp();
  const b = await signedUp();
  const now = Date.now();
  // a's session ended beyond the retention window; b's is live.
  const aId = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(a.email).first<{ id: number }>())!.id;
  await env.DB.prepare("UPDATE sessions SET revoked_at = ?, revoked_reason = 'signout' WHERE user_id = ?")
    .bind(now - SESSION_RETENTION_MS - 1000, aId)
    .run();
  const before = await env.DB.prepare('SELECT count(*) AS n FROM sessions').first<{ n: number }>();
  const tokensBefore = await env.DB.prepare('SELECT count(*) AS n FROM refresh_tokens').first<{ n: number }>();

  // The entry's own scheduled handler, as the Cron Trigger calls it.
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(now), cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
  const after = await env.DB.prepare('SELECT count(*) AS n FROM sessions').first<{ n: number }>();
  expect(after!.n).toBe(before!.n - 1);
  const tokensAfter = await env.DB.prepare('SELECT count(*) AS n FROM refresh_tokens').first<{ n: number }>();
  expect(tokensAfter!.n).toBe(tokensBefore!.n - 1); // cascaded
  expect((await b.fetch('/api/me')).status).toBe(200);
});
