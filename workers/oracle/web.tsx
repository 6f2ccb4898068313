/**
 * Oracle's pages (mounted at /oracle by routes.ts; paths.ts builds every URL).
 *
 *   GET  /                               your switches, "new switch"
 *   POST /switches                       create                                → 303 to it
 *   GET  /switches/:id                   status, recipients, delivery log
 *   GET  /switches/:id/edit, POST /switches/:id    settings
 *   POST /switches/:id/checkin | /pause | /test | /delete
 *   POST /switches/:id/recipients        add one (a webhook's secret is shown once)
 *   POST /recipients/:id/delete
 *   GET  /recipients/:id/message         write a sealed message (encrypted in the browser)
 *   POST /recipients/:id/message         its ciphertext, IV and server share
 *   GET  /c/:token, POST /c/:token       a warning's check-in link: a page, then a button
 *   GET  /p/:token, POST /p/:token       the trusted contact's postpone link: a page, then a button
 *   GET  /open/:messageId                a recipient's page: decrypts in the browser
 *   GET  /open/:messageId/sealed         the ciphertext (JSON), only once dispatched
 *   GET  /outbox                         the development outbox (admins)
 *
 * Someone else's switch or recipient is the 404 of one that does not exist.
 */
import { type Context, Hono } from 'hono';
import { currentAuth, requireRole, requireSession } from '../../shared/auth/middleware';
import { hasTwoFactor } from '../../shared/auth/repository';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import type { FieldErrors } from '../../shared/http/http-error';
import { audit, logRef } from '../../shared/http/logging';
import { isLoopbackHost, outboundRefusal } from '../../shared/http/outbound';
import { enforceRateLimit } from '../../shared/http/rate-limit';
import { refusal } from '../../shared/http/refusal';
import { isHtmx } from '../../shared/http/request';
import { fieldErrors, form, params, query } from '../../shared/http/validation';
import { oracleConfig } from './config';
import { paths } from './paths';
import { REFUSALS } from './refusals';
import * as repo from './repository';
import * as schema from './schema';
import * as service from './service';
import { type LinkPurpose, readLinkToken } from './tokens';
import * as views from './views';

const web = new Hono<AppEnv>();

const signedIn = requireSession('API tokens work with the Oracle API (/oracle/api, see /api/docs), not its pages. Sign in on the web page.');
const sessionUser = (c: Context<AppEnv>) => {
  const auth = c.get('auth');
  return auth?.via === 'session' ? auth.user : null;
};

const switchParam = params(schema.SwitchParam, REFUSALS.missing.message);
const recipientParam = params(schema.RecipientParam, REFUSALS.recipient_missing.message);
const messageParam = params(schema.MessageParam, REFUSALS.message_missing.message);
const page = (title: string) => ({ title: `${title} · Oracle`, ...views.ORACLE_ASSETS });
const origin = (c: Context) => new URL(c.req.url).origin;
const DELIVERIES_LISTED = 100;
/** Admins see a notice on Oracle's page while a delivery gave up in the last week. */
const FAILED_NOTICE_MS = 7 * 24 * 3_600_000;

const DONE: Record<(typeof schema.DONE)[number], string> = {
  checked_in: 'Checked in: the clock starts again from now.',
  saved: 'Saved.',
  created: 'Switch created and armed. Add recipients and write their messages.',
  paused: 'Paused.',
  recipient_added: 'Recipient added. Write their message next.',
  recipient_removed: 'Recipient removed, with their message.',
  message_saved: 'Message sealed and saved. Give the recipient their key card.',
  owner_webhook_removed: 'Your webhook was removed: your notices go by email only.',
  tested: 'Test sent: in a minute, your email shows what each recipient would get, and each webhook gets a signed test event (results in the delivery log).',
};

async function ownSwitch(c: Context<AppEnv>, id: string): Promise<repo.SwitchRow> {
  const s = await repo.findOwnSwitch(c.env.DB, id, currentAuth(c).user.id);
  if (!s) throw refusal(REFUSALS, 'missing');
  return s;
}

async function switchPage(
  c: Context<AppEnv>,
  s: repo.SwitchRow,
  options: {
    notice?: string;
    webhookSecret?: { name: string | null; secret: string };
    ownerWebhookValue?: string;
    errors?: FieldErrors;
    recipientValues?: Record<string, unknown>;
    status?: number;
  } = {},
) {
  const t = now();
  const [recipients, deliveries] = await Promise.all([repo.listRecipients(c.env.DB, s.id), repo.listDeliveries(c.env.DB, s.id, DELIVERIES_LISTED)]);
  c.header('cache-control', 'no-store');
  if (options.status) c.status(options.status as 422);
  return c.render(
    <views.SwitchPage
      s={service.current(s, t)}
      now={t}
      recipients={recipients}
      deliveries={deliveries}
      csrf={c.get('csrfToken')}
      notice={options.notice}
      webhookSecret={options.webhookSecret}
      ownerWebhookValue={options.ownerWebhookValue}
      errors={options.errors ?? {}}
      recipientValues={options.recipientValues ?? {}}
    />,
    page(s.name),
  );
}

async function homePage(c: Context<AppEnv>, options: { values?: views.SettingsValues; errors?: FieldErrors; status?: number; notice?: string } = {}) {
  const user = sessionUser(c);
  const t = now();
  const [rows, twoFactor, failed] = user
    ? await Promise.all([
        repo.listSwitches(c.env.DB, user.id),
        hasTwoFactor(c.env.DB, user.id),
        // Admins hear of deliveries that gave up on anyone's switch (the owners were told by mail).
        user.role === 'admin' ? repo.countFailedDeliveries(c.env.DB, t - FAILED_NOTICE_MS) : Promise.resolve(0),
      ])
    : [[], false, 0];
  const switches = rows.map((s) => service.current(s, t));
  c.header('cache-control', 'no-store');
  if (options.status) c.status(options.status as 422);
  return c.render(
    <views.HomePage
      signedIn={user !== null}
      twoFactor={twoFactor}
      failed={failed}
      outbox={user?.role === 'admin' && oracleConfig(c.env).email.mode === 'log'}
      switches={switches}
      now={t}
      csrf={c.get('csrfToken')}
      {...(options.values ? { values: options.values } : {})}
      errors={options.errors ?? {}}
      notice={options.notice}
    />,
    { title: 'Oracle', ...views.ORACLE_ASSETS },
  );
}

// ---------------------------------------------------------------- switches

web.get('/', query(schema.HomeQuery), (c) =>
  homePage(c, c.req.valid('query').done === 'deleted' ? { notice: 'Switch deleted, with its recipients and messages.' } : {}),
);

const settingsForm = (onError: (c: Context<AppEnv>, errors: FieldErrors, values: views.SettingsValues) => Response | Promise<Response>) =>
  form(schema.SwitchSettings, (result, c) => onError(c, fieldErrors(result.error, 'field'), result.data as views.SettingsValues));

web.post(
  '/switches',
  signedIn,
  settingsForm((c, errors, values) => homePage(c, { errors, values, status: 422 })),
  async (c) => {
    const settings = c.req.valid('form');
    const user = currentAuth(c).user;
    const made = await service.createSwitch(c.env, user.id, settings, origin(c), now());
    if (!made.ok) return homePage(c, { errors: { _: REFUSALS[made.reason].message }, values: c.req.valid('form') as never, status: 409 });
    audit('oracle.switch_created', { actor_id: user.id, switch: await logRef(c.env.SESSION_SECRET, made.id) });
    return c.redirect(`${paths.switch(made.id)}?done=created`, 303);
  },
);

web.get('/switches/:id', switchParam, signedIn, query(schema.SwitchQuery), async (c) => {
  const s = await ownSwitch(c, c.req.valid('param').id);
  const { done } = c.req.valid('query');
  return switchPage(c, s, done ? { notice: DONE[done] } : {});
});

web.get('/switches/:id/edit', switchParam, signedIn, async (c) => {
  const s = await ownSwitch(c, c.req.valid('param').id);
  c.header('cache-control', 'no-store');
  return c.render(<views.EditPage s={s} csrf={c.get('csrfToken')} values={views.settingsValues(s)} />, page(`Edit ${s.name}`));
});

web.post(
  '/switches/:id',
  switchParam,
  signedIn,
  settingsForm(async (c, errors, values) => {
    const s = await ownSwitch(c, (c.req.param() as { id: string }).id);
    c.status(422);
    return c.render(<views.EditPage s={s} csrf={c.get('csrfToken')} values={values} errors={errors} />, page(`Edit ${s.name}`));
  }),
  async (c) => {
    const s = await ownSwitch(c, c.req.valid('param').id);
    const result = await service.updateSettings(c.env, s, c.req.valid('form'), origin(c), now());
    if (!result.ok) throw refusal(REFUSALS, result.reason);
    return c.redirect(`${paths.switch(s.id)}?done=saved`, 303);
  },
);

web.post('/switches/:id/checkin', switchParam, signedIn, async (c) => {
  const s = await ownSwitch(c, c.req.valid('param').id);
  const result = await service.checkIn(c.env, s, now());
  if (!result.ok) throw refusal(REFUSALS, result.reason);
  audit('oracle.checked_in', { actor_id: s.ownerId, switch: await logRef(c.env.SESSION_SECRET, s.id), via: 'web' });
  return c.redirect(`${paths.switch(s.id)}?done=checked_in`, 303);
});

web.post(
  '/switches/:id/pause',
  switchParam,
  signedIn,
  form(schema.PauseForm, (result, c) => switchPageWithErrors(c, fieldErrors(result.error, 'field'))),
  async (c) => {
    const s = await ownSwitch(c, c.req.valid('param').id);
    const date = c.req.valid('form').until;
    const parsed = Date.parse(`${date}T00:00:00Z`);
    // An impossible date (2026-13-45, 2027-02-30) is refused, not rolled over.
    const until = Number.isFinite(parsed) && new Date(parsed).toISOString().slice(0, 10) === date ? parsed : Number.NaN;
    const result = await service.pauseUntil(c.env, s, until, now());
    if (!result.ok) {
      if (result.reason === 'bad_date') return switchPage(c, s, { errors: { until: 'Pick a date after today and within a year.' }, status: 422 });
      throw refusal(REFUSALS, result.reason);
    }
    return c.redirect(`${paths.switch(s.id)}?done=paused`, 303);
  },
);

web.post('/switches/:id/test', switchParam, signedIn, async (c) => {
  const s = await ownSwitch(c, c.req.valid('param').id);
  if (s.state === 'triggered' || s.state === 'completed') throw refusal(REFUSALS, 'fired');
  if (!(await repo.queueTest(c.env.DB, s.id, s.ownerId, now()))) throw refusal(REFUSALS, 'test_too_soon');
  audit('oracle.switch_tested', { actor_id: s.ownerId, switch: await logRef(c.env.SESSION_SECRET, s.id) });
  return c.redirect(`${paths.switch(s.id)}?done=tested`, 303);
});

async function switchPageWithErrors(c: Context<AppEnv>, errors: FieldErrors, recipientValues?: Record<string, unknown>) {
  const s = await ownSwitch(c, (c.req.param() as { id: string }).id);
  return switchPage(c, s, { errors, status: 422, ...(recipientValues ? { recipientValues } : {}) });
}

web.post(
  '/switches/:id/delete',
  switchParam,
  signedIn,
  form(schema.DeleteForm, (result, c) => switchPageWithErrors(c, fieldErrors(result.error, 'field'))),
  async (c) => {
    const { id } = c.req.valid('param');
    const user = currentAuth(c).user;
    if (!(await repo.deleteSwitch(c.env.DB, id, user.id, now()))) {
      const s = await ownSwitch(c, id);
      throw refusal(REFUSALS, s.state === 'triggered' || s.state === 'completed' ? 'fired_kept' : 'changed');
    }
    audit('oracle.switch_deleted', { actor_id: user.id, switch: await logRef(c.env.SESSION_SECRET, id) });
    return c.redirect(`${paths.home}?done=deleted`, 303);
  },
);

// ---------------------------------------------------------------- recipients and messages

web.post(
  '/switches/:id/recipients',
  switchParam,
  signedIn,
  form(schema.RecipientForm, (result, c) => switchPageWithErrors(c, fieldErrors(result.error, 'field'), result.data)),
  async (c) => {
    const s = await ownSwitch(c, c.req.valid('param').id);
    const r = c.req.valid('form');
    if (r.channel === 'webhook') {
      // http://localhost is for a developer's own machine: LOCAL_DEV, or a switch used at a local address.
      const local = oracleConfig(c.env).allowLocalWebhooks || isLoopbackHost(new URL(c.req.url).hostname);
      const refused = outboundRefusal(r.target, { allowLocal: local });
      if (refused) return switchPage(c, s, { errors: { target: `The webhook URL ${refused}` }, recipientValues: r, status: 422 });
    }
    const added = await service.addRecipient(c.env, s, r, now());
    if (!added.ok) {
      const why = REFUSALS[added.reason];
      return switchPage(c, s, { errors: { [why.field ?? '_']: why.message }, recipientValues: r, status: why.status });
    }
    audit('oracle.recipient_added', { actor_id: s.ownerId, switch: await logRef(c.env.SESSION_SECRET, s.id), channel: r.channel });
    // The webhook's secret is shown on this answer only (no redirect: it must not sit in a URL).
    if (added.webhookSecret) return switchPage(c, s, { notice: DONE.recipient_added, webhookSecret: { name: r.name, secret: added.webhookSecret } });
    return c.redirect(`${paths.switch(s.id)}?done=recipient_added`, 303);
  },
);

web.post(
  '/switches/:id/owner-webhook',
  switchParam,
  signedIn,
  form(schema.OwnerWebhookForm, (result, c) =>
    switchPageWithErrors(c, { owner_webhook: fieldErrors(result.error, 'field').url ?? 'That is not a webhook URL.' }),
  ),
  async (c) => {
    const s = await ownSwitch(c, c.req.valid('param').id);
    const { url } = c.req.valid('form');
    if (url !== null) {
      const local = oracleConfig(c.env).allowLocalWebhooks || isLoopbackHost(new URL(c.req.url).hostname);
      const refused = outboundRefusal(url, { allowLocal: local });
      if (refused) return switchPage(c, s, { errors: { owner_webhook: `The webhook URL ${refused}` }, ownerWebhookValue: url, status: 422 });
    }
    const set = await service.setOwnerWebhook(c.env, s, url, now());
    if (!set.ok) throw refusal(REFUSALS, set.reason);
    audit(url === null ? 'oracle.owner_webhook_removed' : 'oracle.owner_webhook_set', {
      actor_id: s.ownerId,
      switch: await logRef(c.env.SESSION_SECRET, s.id),
    });
    if (set.secret === null) return c.redirect(`${paths.switch(s.id)}?done=owner_webhook_removed`, 303);
    // Shown on this answer only, like a recipient's.
    const updated = await ownSwitch(c, s.id);
    return switchPage(c, updated, {
      notice: 'Your webhook was added: your notices go there as well as by email.',
      webhookSecret: { name: null, secret: set.secret },
    });
  },
);

async function ownRecipient(c: Context<AppEnv>, id: string) {
  const r = await repo.findOwnRecipient(c.env.DB, id, currentAuth(c).user.id);
  if (!r) throw refusal(REFUSALS, 'recipient_missing');
  return r;
}

web.post('/recipients/:id/delete', recipientParam, signedIn, form(schema.RemoveRecipientForm), async (c) => {
  const r = await ownRecipient(c, c.req.valid('param').id);
  // A sealed message goes with its recipient, and its key card stops working: that takes a tick.
  if (r.messageLength !== null && c.req.valid('form').confirm !== 'yes') {
    const s = await ownSwitch(c, r.switchId);
    return switchPage(c, s, { errors: { [`remove_${r.id}`]: REFUSALS.confirm_remove.message }, status: 422 });
  }
  if (!(await repo.deleteRecipient(c.env.DB, r.id, currentAuth(c).user.id))) throw refusal(REFUSALS, 'fired');
  return c.redirect(`${paths.switch(r.switchId)}?done=recipient_removed`, 303);
});

web.get('/recipients/:id/message', recipientParam, signedIn, async (c) => {
  const r = await ownRecipient(c, c.req.valid('param').id);
  if (r.switchState === 'triggered' || r.switchState === 'completed') throw refusal(REFUSALS, 'fired');
  c.header('cache-control', 'no-store');
  const user = currentAuth(c).user;
  return c.render(
    <views.MessagePage recipient={r} switchName={r.switchName} owner={user.displayName || user.email} csrf={c.get('csrfToken')} origin={origin(c)} />,
    page(`Message for ${r.name}`),
  );
});

web.post(
  '/recipients/:id/message',
  recipientParam,
  signedIn,
  form(schema.MessageForm, (result) => {
    // The form posted without JavaScript has empty sealed fields (and never the text).
    const data = result.data as Record<string, unknown>;
    if (!data.ciphertext) throw refusal(REFUSALS, 'needs_javascript');
    return undefined;
  }),
  async (c) => {
    const r = await ownRecipient(c, c.req.valid('param').id);
    const user = currentAuth(c).user;
    // Saves that write or delete R2 objects (attachments) are limited per account; text alone is D1's, within its quota.
    if (c.req.valid('form').file.length > 0 || r.files > 0) {
      await enforceRateLimit(c.env.RL_ORACLE_SAVE, `oracle-save:${user.id}`, 60, 'saves with attachments');
    }
    const result = await service.saveMessage(c.env, r, user.id, c.req.valid('form'), now());
    if (!result.ok) throw refusal(REFUSALS, result.reason);
    audit('oracle.message_sealed', { actor_id: user.id, switch: await logRef(c.env.SESSION_SECRET, r.switchId) });
    // oracle.js stays on the page to show the key card: it gets a notice, a plain form the switch page.
    if (isHtmx(c)) return c.html(<p class="notice notice-success">{DONE.message_saved}</p>);
    return c.redirect(`${paths.switch(r.switchId)}?done=message_saved`, 303);
  },
);

// ---------------------------------------------------------------- the check-in link (no sign-in)

async function linkSwitch(c: Context<AppEnv>, purpose: LinkPurpose, token: string): Promise<repo.SwitchRow> {
  const read = await readLinkToken(c.env.SESSION_SECRET, purpose, token);
  const s = read ? await repo.findSwitch(c.env.DB, read.switchId) : null;
  if (!read || !s) throw refusal(REFUSALS, purpose === 'checkin' ? 'link_invalid' : 'postpone_invalid');
  if (s.cycle !== read.cycle) throw refusal(REFUSALS, purpose === 'checkin' ? 'link_used' : 'postpone_spent');
  return s;
}

web.get('/c/:token', params(schema.TokenParam, REFUSALS.link_invalid.message), async (c) => {
  const { token } = c.req.valid('param');
  const s = await linkSwitch(c, 'checkin', token);
  c.header('cache-control', 'no-store');
  // The token is in the path: never in a Referer to another site ("no-referrer" would
  // also make the button's POST say `Origin: null`, which the CSRF check refuses).
  c.header('referrer-policy', 'same-origin');
  return c.render(<views.CheckinLinkPage token={token} s={service.current(s, now())} now={now()} csrf={c.get('csrfToken')} />, page('Check in'));
});

web.post('/c/:token', params(schema.TokenParam, REFUSALS.link_invalid.message), async (c) => {
  const s = await linkSwitch(c, 'checkin', c.req.valid('param').token);
  // Two presses racing: the second finds the cycle moved on, and the link spent.
  const result = await service.checkIn(c.env, s, now(), { cycle: s.cycle });
  if (!result.ok) throw refusal(REFUSALS, result.reason);
  audit('oracle.checked_in', { actor_id: s.ownerId, switch: await logRef(c.env.SESSION_SECRET, s.id), via: 'link' });
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'same-origin');
  return c.render(<views.CheckedInPage s={result.switch} now={now()} />, page('Checked in'));
});

// ---------------------------------------------------------------- the trusted contact's link (no sign-in)

web.get('/p/:token', params(schema.TokenParam, REFUSALS.postpone_invalid.message), async (c) => {
  const { token } = c.req.valid('param');
  const s = await linkSwitch(c, 'postpone', token);
  const owner = await repo.ownerName(c.env.DB, s.ownerId);
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'same-origin');
  return c.render(<views.PostponePage token={token} s={service.current(s, now())} owner={owner} csrf={c.get('csrfToken')} />, page('Postpone'));
});

web.post('/p/:token', params(schema.TokenParam, REFUSALS.postpone_invalid.message), async (c) => {
  const s = await linkSwitch(c, 'postpone', c.req.valid('param').token);
  const result = await service.postpone(c.env, s, now());
  if (!result.ok) throw refusal(REFUSALS, result.reason);
  audit('oracle.postponed', { actor_id: null, switch: await logRef(c.env.SESSION_SECRET, s.id) });
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'same-origin');
  return c.render(<views.PostponedPage s={result.switch} owner={await repo.ownerName(c.env.DB, s.ownerId)} />, page('Postponed'));
});

// ---------------------------------------------------------------- a recipient's page (no sign-in)

web.get('/open/:id', messageParam, (c) => {
  c.header('cache-control', 'no-store');
  // The shares travel in the fragment, which no Referer carries: "same-origin" keeps the
  // path (a message id) from other sites, and lets the header's forms send their Origin.
  c.header('referrer-policy', 'same-origin');
  return c.render(<views.OpenPage messageId={c.req.valid('param').id} />, page('A sealed message'));
});

web.get('/open/:id/sealed', messageParam, async (c) => {
  const m = await repo.dispatchedMessage(c.env.DB, c.req.valid('param').id);
  if (!m) throw refusal(REFUSALS, 'message_missing');
  c.header('cache-control', 'no-store');
  return c.json({
    message_id: m.id,
    switch_id: m.switchId,
    iv: m.iv,
    ciphertext: m.ciphertext,
    // Attachment n is at ./files/<n>: sealed bytes, opened in the browser with the message's key.
    files: m.files.map((f, index) => ({ index, iv: f.iv, size: f.size, url: paths.file(m.id, index) })),
  });
});

web.get('/open/:id/files/:index', params(schema.FileParam, REFUSALS.message_missing.message), async (c) => {
  const { id, index } = c.req.valid('param');
  const file = await repo.dispatchedFile(c.env.DB, id, index);
  const object = file ? await c.env.ORACLE_FILES.get(file.key) : null;
  if (!object) throw refusal(REFUSALS, 'message_missing');
  return new Response(object.body, {
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(object.size),
      'content-disposition': `attachment; filename="sealed-${index}.bin"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});

// ---------------------------------------------------------------- the development outbox

web.get('/failed', requireSession(), requireRole('admin'), async (c) => {
  const failed = await repo.listFailedDeliveries(c.env.DB, 200);
  c.header('cache-control', 'no-store');
  return c.render(<views.FailedPage failed={failed} />, page('Failed deliveries'));
});

web.get('/outbox', requireSession(), requireRole('admin'), async (c) => {
  const mail = await repo.listMail(c.env.DB, 200);
  c.header('cache-control', 'no-store');
  return c.render(<views.OutboxPage mail={mail} mode={oracleConfig(c.env).email.mode} />, page('Outbox'));
});

export default web;
