import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, signedIn, signedUp } from '../support/client';
import { attackAll, sameOriginControl, unsafeRoutes } from '../support/csrf';

describe('CSRF matrix over every unsafe route', () => {
  it('finds the platform routes', () => {
    const routes = unsafeRoutes().map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      'POST /signin',
      'POST /signup',
      'POST /signout',
      'POST /account/password',
      'POST /account/tokens',
      'POST /signin/two-factor',
      'POST /account/two-factor/setup',
      'POST /account/two-factor/enable',
      'POST /account/two-factor/recovery-codes',
      'POST /account/two-factor/disable',
      'POST /admin/users/:id/role',
      'POST /admin/users/:id/disable',
      // CodeBin, mounted as a sub-app, is walked too.
      'POST /codebin',
      'POST /codebin/api/pastes',
      'PUT /codebin/api/pastes/:filename',
      'DELETE /codebin/api/pastes/:slug',
      'POST /codebin/:slug/reveal',
      'POST /codebin/:slug/delete',
      'POST /codebin/:slug/language',
      // Lexicon: the web forms and the JSON API.
      'POST /lexicon/tickets',
      'POST /lexicon/tickets/:id/reply',
      'POST /lexicon/tickets/:id/note',
      'POST /lexicon/tickets/:id/status',
      'POST /lexicon/tickets/:id/assign',
      'POST /lexicon/tickets/:id/priority',
      'POST /lexicon/tickets/:id/tags',
      'POST /lexicon/bulk',
      'POST /lexicon/api/tickets',
      'PATCH /lexicon/api/tickets/:id',
      'POST /lexicon/api/tickets/:id/comments',
      // Aura: the room forms (the WebSocket is a GET, checked by Origin instead).
      'POST /aura',
      'POST /aura/r/:id/control',
      'POST /aura/r/:id/update',
      'POST /aura/r/:id/end',
      // Oracle: switches, recipients, sealed messages, the check-in link, the API.
      'POST /oracle/switches',
      'POST /oracle/switches/:id',
      'POST /oracle/switches/:id/checkin',
      'POST /oracle/switches/:id/pause',
      'POST /oracle/switches/:id/test',
      'POST /oracle/switches/:id/owner-webhook',
      'POST /oracle/switches/:id/delete',
      'POST /oracle/switches/:id/recipients',
      'POST /oracle/recipients/:id/delete',
      'POST /oracle/recipients/:id/message',
      'POST /oracle/c/:token',
      'POST /oracle/p/:token',
      'POST /oracle/api/switches',
      'POST /oracle/api/switches/:id/checkin',
    ]) {
      expect(routes).toContain(expected);
    }
  });

  it('refuses every cross-site or token-less request, and writes nothing', async () => {
    const admin = await signedUp(); // first account in this file: admin
    const other = await signedUp();
    const otherId = String((await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(other.email).first<{ id: number }>())!.id);
    // Lexicon tickets whose ids include the :id the attacks use, so they aim at something real.
    await env.DB.prepare(
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
       INSERT INTO tickets (subject, body, priority, creator_id, created_at, updated_at, first_response_due_at, resolution_due_at)
       SELECT 'ticket ' || n, 'b', 'normal', ?, 0, 0, 1, 1 FROM seq`,
    )
      .bind(Number(otherId) + 1, otherId)
      .run();
    const before = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM api_tokens) AS tokens, (SELECT count(*) FROM sessions WHERE revoked_at IS NULL) AS live, (SELECT group_concat(role || coalesce(disabled_at, '')) FROM users) AS roles, (SELECT group_concat(status || version) FROM tickets) AS tickets, (SELECT count(*) FROM lexicon_comments) AS comments, (SELECT count(*) FROM lexicon_audit) AS audit, (SELECT count(*) || group_concat(coalesce(ended_at, '-')) FROM aura_rooms) AS rooms, (SELECT count(*) || group_concat(cycle || state) FROM oracle_switches) AS switches, (SELECT count(*) FROM oracle_recipients) AS recipients",
    ).first();

    const results = await attackAll(admin, unsafeRoutes(), { id: otherId });
    const failures = results.filter((r) => !r.ok);
    expect(failures, JSON.stringify(failures, null, 1)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(unsafeRoutes().length * 5);

    const after = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM api_tokens) AS tokens, (SELECT count(*) FROM sessions WHERE revoked_at IS NULL) AS live, (SELECT group_concat(role || coalesce(disabled_at, '')) FROM users) AS roles, (SELECT group_concat(status || version) FROM tickets) AS tickets, (SELECT count(*) FROM lexicon_comments) AS comments, (SELECT count(*) FROM lexicon_audit) AS audit, (SELECT count(*) || group_concat(coalesce(ended_at, '-')) FROM aura_rooms) AS rooms, (SELECT count(*) || group_concat(cycle || state) FROM oracle_switches) AS switches, (SELECT count(*) FROM oracle_recipients) AS recipients",
    ).first();
    expect(after).toEqual(before);
    expect((await admin.fetch('/api/me')).status).toBe(200); // sign-out was not forged
  });

  it('lets the same requests through from a same-origin page with the token', async () => {
    const adminEmail = (await env.DB.prepare("SELECT email FROM users WHERE role = 'admin' LIMIT 1").first<{ email: string }>())!.email;
    const admin = await signedIn(adminEmail);
    const target = await signedUp();
    const targetId = String((await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(target.email).first<{ id: number }>())!.id);
    for (const route of unsafeRoutes()) {
      // A fresh signed-in page per route: some controls (sign-out) end the session.
      const browser = route.path === '/signout' ? await signedIn(adminEmail) : admin;
      const { status, csrfRefused } = await sameOriginControl(browser, route, { id: targetId });
      expect(csrfRefused, `${route.method} ${route.path} → ${status}`).toBe(false);
    }
  });

  it('lets anonymous curl (no cookies, no Origin) through, and bearer requests skip the token', async () => {
    const curl = new Client();
    const res = await curl.fetch('/signin', { form: { email: 'a@b.c', password: 'x' }, bare: true });
    expect(res.status).toBe(401); // reached the credential check, not refused as CSRF
    const user = await signedUp();
    const { createToken } = await import('../support/client');
    const token = await createToken(user, ['account:read']);
    const bearer = await curl.fetch('/signout', { method: 'POST', headers: { authorization: `Bearer ${token}` }, bare: true });
    expect(bearer.status).toBe(303);
  });
});
