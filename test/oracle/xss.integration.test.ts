// The stored-XSS corpus in Oracle's switch names, recipient names and targets (email
// addresses, webhook URLs), the owner's own webhook, delivery errors and mail bodies, on
// every page that shows them: your switches, a switch (recipients, delivery log), its
// settings, the message page, and the admins' failed deliveries and development outbox
// (which turns URLs in mail into links).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { randomToken } from '../../shared/crypto';
import { paths } from '../../workers/oracle/paths';
import { signedUp } from '../support/client';
import { ownerId } from '../support/oracle';
import { asDisplayText, scriptVectors, xssPayloads } from '../support/xss';

const payloads = xssPayloads();

async function html(res: Response, label: string): Promise<string> {
  expect(res.status, label).toBeLessThan(400);
  return res.text();
}

describe('stored XSS corpus on Oracle', () => {
  it(`names, targets and mail stay inert on every page (${payloads.length} payloads)`, { timeout: 120_000 }, async () => {
    const admin = await signedUp(); // the first account in this file: it reads the outbox
    const owner = await ownerId(admin.email);
    const now = Date.now();
    const problems: string[] = [];
    const ids: Array<{ switchId: string; recipientId: string }> = [];
    const statements: D1PreparedStatement[] = [];
    for (const [i, payload] of payloads.entries()) {
      const switchId = randomToken(16);
      const recipientId = randomToken(16);
      ids.push({ switchId, recipientId });
      // Stored through SQL (the forms' validation is not what this test is about; the stored text is).
      statements.push(
        env.DB.prepare(
          `INSERT INTO oracle_switches (id, owner_id, name, interval_ms, grace_ms, ladder, state, checked_in_at, deadline_at, due_at, rung, cycle, origin, created_at, updated_at,
                                       owner_webhook, owner_webhook_secret)
           VALUES (?, ?, ?, 86400000, 0, '[]', 'armed', ?, ?, ?, 0, 1, 'https://sixfold.test', ?, ?, ?, 'v1.x.y')`,
        ).bind(
          switchId,
          owner,
          asDisplayText(payload, 80),
          now,
          now + 86_400_000,
          now + 86_400_000,
          now + i,
          now,
          `https://hooks.example.com/${payload}`.slice(0, 2048),
        ),
        env.DB.prepare(`INSERT INTO oracle_recipients (id, switch_id, name, channel, target, message_id, created_at) VALUES (?, ?, ?, 'email', ?, ?, ?)`).bind(
          recipientId,
          switchId,
          asDisplayText(payload, 80),
          `${asDisplayText(payload, 2000)}@x`,
          randomToken(16),
          now,
        ),
        env.DB.prepare(
          `INSERT INTO oracle_deliveries (switch_id, kind, recipient_id, channel, target, idempotency_key, state, attempts, next_attempt_at, last_error, created_at)
           VALUES (?, 'message', ?, 'webhook', ?, ?, ?, 1, ?, ?, ?)`,
        ).bind(switchId, recipientId, `https://hooks.example.com/${payload}`, `xss:${i}`, i % 2 ? 'dead' : 'pending', now, payload.slice(0, 300), now),
        env.DB.prepare('INSERT INTO oracle_mail (idempotency_key, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?)').bind(
          `xss-mail:${i}`,
          payload,
          payload,
          `Open it here: https://sixfold.test/oracle/open/x#s=${payload}\n${payload}\njavascript:alert(1) https://a.test/"onmouseover="alert(1)`,
          now,
        ),
      );
    }
    for (let i = 0; i < statements.length; i += 400) await env.DB.batch(statements.slice(i, i + 400));

    problems.push(...(await scriptVectors(await html(await admin.fetch(paths.home), 'home'), 'home')));
    problems.push(...(await scriptVectors(await html(await admin.fetch(paths.outbox), 'outbox'), 'outbox')));
    problems.push(...(await scriptVectors(await html(await admin.fetch(paths.failed), 'failed'), 'failed')));
    for (const [i, { switchId, recipientId }] of ids.entries()) {
      problems.push(...(await scriptVectors(await html(await admin.fetch(paths.switch(switchId)), `switch ${i}`), `switch ${i}`)));
      if (i % 10 === 0) {
        problems.push(...(await scriptVectors(await html(await admin.fetch(`${paths.switch(switchId)}/edit`), `edit ${i}`), `edit ${i}`)));
        problems.push(...(await scriptVectors(await html(await admin.fetch(paths.message(recipientId)), `message ${i}`), `message ${i}`)));
      }
    }
    expect(problems, problems.slice(0, 20).join('\n')).toEqual([]);
    // The outbox linkifies only http(s) URLs, and keeps every one inside its attribute.
    const outbox = await (await admin.fetch(paths.outbox)).text();
    expect(outbox).not.toMatch(/<a href="javascript:/i);
  });
});
