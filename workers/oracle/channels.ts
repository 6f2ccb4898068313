/**
 * How a delivery leaves: one interface, three ways.
 *
 *   - email through Resend's HTTP API (`ORACLE_EMAIL=resend`), with the delivery's
 *     idempotency key as the `Idempotency-Key` header: a resend after a crash is
 *     absorbed by the provider;
 *   - email recorded in D1 (`ORACLE_EMAIL=log`, the default under `npm start`): the
 *     development outbox, keyed the same way, shown to admins at /oracle/outbox;
 *   - webhooks signed per Standard Webhooks (https://www.standardwebhooks.com):
 *     `webhook-id` (the idempotency key: receivers drop repeats by it),
 *     `webhook-timestamp` and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of
 *     "id.timestamp.body" under the recipient's `whsec_` secret), sent through the
 *     SSRF guard (shared/http/outbound.ts) and never following a redirect.
 *
 * A send answers ok, or an error to retry; `permanent` errors are not retried.
 */
import { sql } from 'drizzle-orm';
import { run } from '../../shared/db';
import { fetchPublic, OutboundError } from '../../shared/http/outbound';
import type { OracleConfig } from './config';

export type Outgoing = {
  /** The delivery's idempotency key: the provider's `Idempotency-Key`, the webhook's id. */
  key: string;
  channel: 'email' | 'webhook';
  /** An email address or a webhook URL. */
  to: string;
  subject: string;
  text: string;
  /** The webhook's JSON body (`type`, `timestamp`, `data`). */
  event: { type: string; data: Record<string, unknown> };
  /** The webhook's signing secret (`whsec_…`), unwrapped for this send only. */
  secret?: string;
  /** The switch's address is never public (localhost, a loopback address, `.test`): the outbox keeps its links whole. */
  local?: boolean;
  /** The mail without a message's text (a message readable by the server), for an outbox that is not local. */
  redactedText?: string;
  /** The switch's address is this machine (localhost, loopback): webhooks to http://localhost are allowed. */
  loopback?: boolean;
};

export type SendResult = { ok: true } | { ok: false; error: string; permanent?: boolean };

export type Transport = { send: (out: Outgoing, now: number) => Promise<SendResult> };

/** The transport the cron uses, from the environment. */
export function transportFor(env: Env, config: OracleConfig): Transport {
  return {
    send: async (out, now) => {
      try {
        if (out.channel === 'webhook') return await sendWebhook(out, now, config);
        if (config.email.mode === 'log') return await recordMail(env.DB, out.local ? out : { ...out, text: withoutKeys(out.redactedText ?? out.text) }, now);
        return await sendResend(out, config.email);
      } catch (error) {
        if (error instanceof OutboundError) return { ok: false, error: error.message, permanent: true };
        return { ok: false, error: failureText(out, error) };
      }
    },
  };
}

/**
 * Mail recorded on an instance that is not a developer's own (ORACLE_EMAIL=log left on
 * after deploying) keeps no key and no link that acts: a dispatch link's server share
 * and the check-in and postpone links' tokens are cut out, so the D1 table and the
 * admins' outbox page hold nothing that opens or postpones anything; a message readable
 * by the server is recorded as its `redactedText`, written without the message.
 */
export function withoutKeys(text: string): string {
  return text.replace(/#s=[\w-]+/g, '#s=(not kept: set ORACLE_EMAIL=resend to send mail)').replace(/(\/oracle\/[cp]\/)[\w.-]+/g, '$1(not kept)');
}

async function recordMail(db: D1Database, out: Outgoing, now: number): Promise<SendResult> {
  await run(
    db,
    sql`INSERT INTO oracle_mail (idempotency_key, recipient, subject, body, created_at)
        VALUES (${out.key}, ${out.to}, ${out.subject}, ${out.text}, ${now})
        ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  return { ok: true };
}

async function sendResend(out: Outgoing, email: Extract<OracleConfig['email'], { mode: 'resend' }>): Promise<SendResult> {
  const res = await fetch(`${email.apiUrl.replace(/\/$/, '')}/emails`, {
    method: 'POST',
    headers: { authorization: `Bearer ${email.apiKey}`, 'content-type': 'application/json', 'idempotency-key': out.key },
    body: JSON.stringify({ from: email.from, to: [out.to], subject: out.subject, text: out.text }),
    signal: AbortSignal.timeout(10_000),
  });
  await res.body?.cancel();
  if (res.ok) return { ok: true };
  // 4xx other than 408/409/429 will not get better by trying again (a bad address, a bad key).
  const permanent = res.status >= 400 && res.status < 500 && ![408, 409, 429].includes(res.status);
  return { ok: false, error: `the email provider answered ${res.status}`, permanent };
}

/** The Standard Webhooks signature of `body` (`v1,<base64>`). */
export async function signWebhook(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const raw = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${body}`)));
  let binary = '';
  for (const b of mac) binary += String.fromCharCode(b);
  return `v1,${btoa(binary)}`;
}

/** A new webhook secret: `whsec_` + 24 random bytes, base64 (as Standard Webhooks libraries expect). */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `whsec_${btoa(binary)}`;
}

async function sendWebhook(out: Outgoing, now: number, config: OracleConfig): Promise<SendResult> {
  if (!out.secret) return { ok: false, error: 'the webhook has no signing secret', permanent: true };
  const timestamp = Math.floor(now / 1000);
  const body = JSON.stringify({ type: out.event.type, timestamp: new Date(now).toISOString(), data: out.event.data });
  const res = await fetchPublic(
    out.to,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Sixfold-Oracle/1 (+https://www.standardwebhooks.com)',
        'webhook-id': out.key,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': await signWebhook(out.secret, out.key, timestamp, body),
      },
      body,
      timeoutMs: 10_000,
      maxBytes: 1024,
    },
    { allowLocal: config.allowLocalWebhooks || out.loopback === true },
  );
  if (res.status >= 200 && res.status < 300) return { ok: true };
  if (res.status >= 300 && res.status < 400) return { ok: false, error: `the webhook answered ${res.status} (a redirect: Oracle does not follow them)` };
  return { ok: false, error: `the webhook answered ${res.status}` };
}

/** What the delivery log says of a send that did not get an answer, in words (the runtime's own are "internal error; reference = …"). */
export function failureText(out: Outgoing, error: unknown): string {
  const host = out.channel === 'webhook' ? (URL.canParse(out.to) ? new URL(out.to).host : out.to) : 'the email provider';
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `${host} did not answer within 10 seconds`;
  return `could not connect to ${host} (its name did not resolve, or the connection failed)`;
}
