/**
 * The dispatcher, run by the cron every minute (and by the tests, many at once).
 *
 * 1. Advance: switches whose `due_at <= now` go through the state machine
 *    (lifecycle.ts). Each one's guarded UPDATE and the outbox rows it makes due
 *    (warnings, the owner's notices, one message per recipient) go in one batch: D1
 *    runs a batch as one transaction, and every INSERT is conditioned on the switch
 *    being in the state the UPDATE wrote and keyed by a unique idempotency key. A
 *    run that lost the race (another run, a check-in) adds nothing.
 * 2. Send: up to MAX_SENDS_PER_TICK deliveries are claimed with a lease, sent, and
 *    marked sent only where the lease still holds. A failure is retried with
 *    exponential backoff and jitter; after MAX_ATTEMPTS it is dead, and the owner is
 *    told. A run that crashes between the provider's "accepted" and our "sent"
 *    leaves the row leased; once the lease runs out the next run sends again with
 *    the same idempotency key, which the provider (or the webhook receiver) absorbs.
 *    So: at least once to the provider, exactly once in effect.
 * 3. Complete: fired switches whose deliveries have all ended become `completed`.
 *
 * Bounded per tick for the free plan's 50 subrequests: at most 40 sends; the rest
 * wait for the next minute.
 */
import { sql } from 'drizzle-orm';
import { base64url, randomToken } from '../../shared/crypto';
import { isLocalHost } from '../../shared/env';
import { logEvent } from '../../shared/http/logging';
import { isLoopbackHost } from '../../shared/http/outbound';
import type { Outgoing, SendResult, Transport } from './channels';
import { advance, describeDuration, type Event, POSTPONE_MS } from './lifecycle';
import { paths } from './paths';
import * as repo from './repository';
import { linkToken } from './tokens';
import { NO_KEY_CARD } from '../../public/oracle-crypto.js';
import { openReadable, ownerWebhookLabel, shareLabel, unwrap, webhookLabel } from './wrap';

export const MAX_SENDS_PER_TICK = 40;
export const SWITCHES_PER_TICK = 200;
export const MAX_ATTEMPTS = 10;
export const LEASE_MS = 5 * 60_000;
const SEND_CONCURRENCY = 6;
const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 6 * 3_600_000;

export type DispatchSecrets = { wrapKey: string; sessionSecret: string };

/** When a delivery that failed its `attempts`-th attempt is tried again, or null: it is dead. */
export function retryAt(attempts: number, now: number, random: () => number = Math.random): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const base = Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS);
  return now + Math.round(base * (0.8 + 0.4 * random()));
}

export async function runDispatch(env: Env, now: number, transport: Transport, secrets: DispatchSecrets) {
  const advanced = await advanceDue(env.DB, now);
  const sent = await sendDue(env.DB, now, transport, secrets);
  const completed = await repo.completeFired(env.DB, now);
  return { ...advanced, ...sent, completed };
}

/** Moves due switches on; returns how many moved and what they made due. */
export async function advanceDue(db: D1Database, now: number): Promise<{ advanced: number; events: number }> {
  const due = await repo.dueSwitches(db, now, SWITCHES_PER_TICK);
  const statements = [];
  let events = 0;
  for (const seen of due) {
    const { next, events: happened } = advance(seen, now);
    statements.push(repo.transitionSql(seen, next, now));
    // Every outbox row below is written only if the switch is now where this run moved it.
    const moved = sql`s.state = ${next.state} AND s.cycle = ${next.cycle} AND s.rung = ${next.rung} AND s.trigger_seq = ${next.triggerSeq}`;
    for (const event of happened) {
      if (event.kind === 'fired') {
        statements.push(repo.messageDeliveriesSql(seen.id, event.triggerSeq, now), repo.firedNoticeSql(seen.id, event.triggerSeq, now, moved));
        events++;
        continue;
      }
      const notice = ownerNotice(seen.id, event, now, seen.graceMs);
      if (notice === null) continue;
      statements.push(repo.ownerNoticeSql(notice, moved));
      events++;
      // Grace began: the trusted contact (if any) hears of it, with the link to postpone once.
      if (event.kind === 'overdue' && seen.trustedContact !== null) {
        statements.push(
          repo.contactNoticeSql({ switchId: seen.id, key: `contact:${seen.id}:${event.cycle}`, detail: { fires_at: event.firesAt }, now }, moved),
        );
        events++;
      }
    }
  }
  await repo.runBatch(db, statements);
  return { advanced: due.length, events };
}

/** The owner's notice an event asks for, keyed so it goes out once, or null. */
function ownerNotice(switchId: string, event: Event, now: number, graceMs: number) {
  switch (event.kind) {
    case 'warning':
      return {
        switchId,
        kind: 'warning' as const,
        key: `warning:${switchId}:${event.cycle}:${event.deadlineAt}:${event.rung}`,
        detail: { deadline_at: event.deadlineAt, fires_at: event.deadlineAt + graceMs },
        now,
      };
    case 'overdue':
      return { switchId, kind: 'overdue' as const, key: `overdue:${switchId}:${event.cycle}:${event.firesAt}`, detail: { fires_at: event.firesAt }, now };
    case 'fired':
    case 'resumed':
      return null;
  }
}

/** Claims, sends and records up to MAX_SENDS_PER_TICK deliveries. */
export async function sendDue(
  db: D1Database,
  now: number,
  transport: Transport,
  secrets: DispatchSecrets,
): Promise<{ sent: number; failed: number; dead: number }> {
  const lease = randomToken(16);
  const claimed = await repo.claimDeliveries(db, now, lease, LEASE_MS, MAX_SENDS_PER_TICK);
  const tally = { sent: 0, failed: 0, dead: 0 };
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const delivery = claimed[next++]!;
      try {
        const result = await attempt(delivery, now, transport, secrets);
        if (result.ok) {
          if (await repo.markSent(db, delivery.id, delivery.leaseToken, now)) tally.sent++;
          continue;
        }
        const retry = result.permanent ? null : retryAt(delivery.attempts, now);
        await repo.markFailed(db, delivery, result.error, retry, now);
        if (retry === null) {
          tally.dead++;
          logEvent('error', 'oracle_delivery_dead', {
            delivery: delivery.id,
            kind: delivery.kind,
            channel: delivery.channel,
            attempts: delivery.attempts,
            error: result.error,
          });
        } else tally.failed++;
      } catch (error) {
        // D1 failed while recording the outcome: the row stays leased, and once the lease
        // runs out the next run sends it again with the same key (absorbed if it went out).
        tally.failed++;
        logEvent('error', 'oracle_delivery_unrecorded', { delivery: delivery.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, claimed.length) }, worker));
  return tally;
}

async function attempt(d: repo.ClaimedDelivery, now: number, transport: Transport, secrets: DispatchSecrets): Promise<SendResult> {
  let out: Outgoing;
  try {
    out = await compose(d, now, secrets);
  } catch (error) {
    return { ok: false, error: `could not be composed: ${error instanceof Error ? error.message : String(error)}`, permanent: true };
  }
  try {
    return await transport.send(out, now);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The mail or webhook a delivery becomes. Only here is a server share unwrapped, for a message being sent. */
export async function compose(d: repo.ClaimedDelivery, now: number, secrets: DispatchSecrets): Promise<Outgoing> {
  const detail = JSON.parse(d.detail) as Record<string, unknown>;
  const owner = d.ownerName || d.ownerEmail;
  const name = `“${d.switchName}”`;
  const host = new URL(d.origin).hostname;
  const base = { key: d.idempotencyKey, channel: d.channel, to: d.target, local: isLocalHost(host), loopback: isLoopbackHost(host) };
  // A recipient's webhook, or (no recipient) the owner's own.
  const secret =
    d.channel === 'webhook' && d.webhookSecret
      ? new TextDecoder().decode(await unwrap(secrets.wrapKey, d.recipientId ? webhookLabel(d.recipientId) : ownerWebhookLabel(d.switchId), d.webhookSecret))
      : undefined;
  const switchUrl = `${d.origin}${paths.switch(d.switchId)}`;
  switch (d.kind) {
    case 'message': {
      if (!d.messageId || !d.serverShare) throw new Error('the message was removed');
      const share = base64url(await unwrap(secrets.wrapKey, shareLabel(d.messageId), d.serverShare));
      if (d.readable) {
        // The weaker mode: no key card, so the server opens the message and sends its text.
        const text = await openReadable(d.readable, share, d.switchId, d.messageId);
        if (text === null) throw new Error('the message does not open with its stored key');
        // Its attachments open on the recipient's page with the server's share alone (no key card).
        const filesUrl = d.files > 0 ? `${d.origin}${paths.open(d.messageId)}#s=${share}&k=${NO_KEY_CARD}` : null;
        const letter = (body: string) =>
          [
            `${owner} left you a message with Sixfold Oracle, a dead man's switch, to be sent if they stopped checking in. They have. Here it is:`,
            '',
            body,
            ...(filesUrl ? ['', `It has ${plural(d.files, 'attachment')}: open ${d.files === 1 ? 'it' : 'them'} here: ${filesUrl}`] : []),
          ].join('\n');
        return {
          ...base,
          secret,
          subject: `A message from ${owner}`,
          text: letter(text),
          // Built without the text, never cut out of it (the text may repeat the words around it).
          redactedText: letter('(the message text: not kept here; set ORACLE_EMAIL=resend to send mail)'),
          event: {
            type: 'oracle.message',
            data: {
              switch_id: d.switchId,
              message_id: d.messageId,
              recipient: d.recipientName,
              from: owner,
              text,
              ...(filesUrl ? { open_url: filesUrl, sealed_url: `${d.origin}${paths.sealed(d.messageId)}`, server_share: share } : {}),
            },
          },
        };
      }
      const openUrl = `${d.origin}${paths.open(d.messageId)}#s=${share}`;
      return {
        ...base,
        secret,
        subject: `A sealed message from ${owner}`,
        text: [
          `${owner} left you a sealed message with Sixfold Oracle, a dead man's switch, to be sent if they stopped checking in. They have.`,
          '',
          `Open it here: ${openUrl}`,
          '',
          'You also need the key card they gave you (a link or a 64-character code). The message is decrypted in your browser: this server cannot read it, and this email alone cannot open it.',
          ...(d.files > 0 ? ['', `It has ${plural(d.files, 'attachment')}, opened on the same page.`] : []),
        ].join('\n'),
        event: {
          type: 'oracle.message',
          data: {
            switch_id: d.switchId,
            message_id: d.messageId,
            recipient: d.recipientName,
            from: owner,
            open_url: openUrl,
            server_share: share,
            sealed_url: `${d.origin}${paths.sealed(d.messageId)}`,
          },
        },
      };
    }
    case 'warning':
    case 'overdue': {
      const token = await linkToken(secrets.sessionSecret, 'checkin', d.switchId, d.checkinCycle);
      const checkin = `${d.origin}${paths.checkinLink(token)}`;
      const deadline = Number(detail.deadline_at ?? detail.fires_at);
      const fires = Number(detail.fires_at ?? deadline);
      const subject =
        d.kind === 'warning'
          ? `Check in: ${name} is due in ${describeDuration(Math.max(0, deadline - now))}`
          : `Overdue: ${name} fires at ${when(fires)} unless you check in`;
      return {
        ...base,
        secret,
        subject,
        text: [
          d.kind === 'warning'
            ? `Your switch ${name} needs a check-in by ${when(deadline)}.${fires > deadline ? ` If you miss it, it waits until ${when(fires)} (its grace period), then fires and sends your messages.` : ' If you miss it, it fires then and sends your messages.'}`
            : `Your switch ${name} missed its check-in. It fires at ${when(fires)} and sends your messages, unless you check in before.`,
          '',
          `Check in: ${checkin}`,
          '(The link opens a page with a button; opening it alone changes nothing.)',
          '',
          `Your switch: ${switchUrl}`,
        ].join('\n'),
        event: {
          type: `oracle.${d.kind}`,
          data: {
            switch_id: d.switchId,
            switch_name: d.switchName,
            summary: subject,
            deadline_at: new Date(deadline).toISOString(),
            fires_at: new Date(fires).toISOString(),
            checkin_url: checkin,
            switch_url: switchUrl,
          },
        },
      };
    }
    case 'fired':
      return {
        ...base,
        secret,
        subject: `Your switch ${name} fired`,
        text: [
          Number(detail.messages ?? 1) === 0
            ? `Your switch ${name} fired at ${when(Number(detail.triggered_at ?? now))}. It had no messages to send: none of its recipients had one.`
            : `Your switch ${name} fired at ${when(Number(detail.triggered_at ?? now))}: ${Number(detail.messages) === 1 ? 'its message is' : `its ${Number(detail.messages)} messages are`} going out.`,
          '',
          `The delivery log: ${switchUrl}`,
        ].join('\n'),
        event: {
          type: 'oracle.fired',
          data: { switch_id: d.switchId, switch_name: d.switchName, messages: Number(detail.messages ?? 0), switch_url: switchUrl },
        },
      };
    case 'dead':
      return {
        ...base,
        secret,
        subject: `A delivery of ${name} failed`,
        text: [
          `Oracle gave up on a ${String(detail.kind)} delivery${detail.recipient ? ` to ${String(detail.recipient)}` : ''} of your switch ${name} after ${MAX_ATTEMPTS} attempts: ${String(detail.error)}.`,
          '',
          `The delivery log: ${switchUrl}`,
        ].join('\n'),
        event: {
          type: 'oracle.delivery_failed',
          data: {
            switch_id: d.switchId,
            switch_name: d.switchName,
            kind: detail.kind,
            recipient: detail.recipient ?? null,
            error: detail.error,
            switch_url: switchUrl,
          },
        },
      };
    case 'contact': {
      const token = await linkToken(secrets.sessionSecret, 'postpone', d.switchId, d.checkinCycle);
      const fires = Number(detail.fires_at);
      return {
        ...base,
        secret,
        subject: `${owner} missed a check-in: you can postpone their switch once`,
        text: [
          `${owner} set up a dead man's switch with Sixfold Oracle and named you their trusted contact. They have missed a check-in: unless they check in, it fires at ${when(fires)} and sends the messages they left.`,
          '',
          `If you know they are well but cannot check in (travelling, in hospital), you can postpone it once, by ${describeDuration(POSTPONE_MS)}:`,
          `${d.origin}${paths.postponeLink(token)}`,
          '(The link opens a page with a button; opening it alone changes nothing. You will not see any message or recipient.)',
        ].join('\n'),
        event: { type: 'oracle.contact', data: { switch_id: d.switchId } },
      };
    }
    case 'postponed':
      return {
        ...base,
        secret,
        subject: `Your trusted contact postponed ${name}`,
        text: [
          `Your trusted contact postponed your switch ${name} by ${describeDuration(POSTPONE_MS)}: it now fires at ${when(Number(detail.fires_at))} unless you check in.`,
          '',
          `Check in: ${switchUrl}`,
        ].join('\n'),
        event: { type: 'oracle.postponed', data: { switch_id: d.switchId } },
      };
    case 'test': {
      // A webhook's ping: signed like the real thing, carrying nothing secret.
      if (d.channel === 'webhook') {
        return {
          ...base,
          secret,
          subject: `Test of ${name}`,
          text: '',
          event: { type: 'oracle.test', data: { switch_id: d.switchId, recipient: d.recipientName, test: true } },
        };
      }
      const recipients = (detail.recipients ?? []) as Array<{
        name: string;
        channel: string;
        target: string;
        message: boolean | number;
        readable?: number | null;
      }>;
      const lines = recipients.map((r) =>
        r.message && r.readable
          ? `- ${r.name} (${r.channel} ${r.target}): the text of your message, which Oracle opens when it fires (no key card: you chose a message readable by this server).`
          : r.message
            ? `- ${r.name} (${r.channel} ${r.target}): their sealed message, with a link to open it (not shown here: it carries half of the key). They will need the key card you gave them.`
            : `- ${r.name} (${r.channel} ${r.target}): NOTHING: you have not written them a message yet.`,
      );
      return {
        ...base,
        secret,
        subject: `Test of ${name}: what happens when it fires`,
        text: [
          `This is a test of your switch ${name}. Nothing has fired, and no one else got this email.`,
          '',
          recipients.length === 0 ? 'It has no recipients yet: when it fires, only you will be told.' : 'When it fires:',
          ...lines,
          '- You: a "your switch fired" notice, and the delivery log.',
          ...(recipients.some((r) => r.channel === 'webhook')
            ? ['', 'Each webhook got a signed test event now (type "oracle.test"); its result is in the delivery log.']
            : []),
          '',
          `Your switch: ${switchUrl}`,
        ].join('\n'),
        event: { type: 'oracle.test', data: { switch_id: d.switchId, test: true } },
      };
    }
  }
}
