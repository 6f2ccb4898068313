// Oracle through its pages, its API and its cron, in workerd: a switch made with the
// real forms, recipients, messages sealed as the browser seals them, check-ins (page,
// link, API), the clock walked by the cron with mail in the development outbox, the
// open page after dispatch, someone else's switch, and what an operator's dump holds.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromBase64url, seal, toBase64url, unseal, xor } from '../../public/oracle-crypto.js';
import worker from '../../workers/index';
import { DAY_MS, HOUR_MS } from '../../workers/oracle/lifecycle';
import { apiPaths, paths } from '../../workers/oracle/paths';
import { shareLabel, unwrap } from '../../workers/oracle/wrap';
import { Client, createToken, signedUp } from '../support/client';
import { captureLogs } from '../support/logs';
import { WRAP_KEY } from '../support/oracle';

afterEach(() => {
  vi.useRealTimers();
});

// The first account in this file is the admin (it reads the development outbox).
const admin = signedUp();

async function createSwitch(client: Client, form: Record<string, string> = {}): Promise<string> {
  await client.visit(paths.home);
  const res = await client.fetch(paths.switches, { form: { name: 'Papers', interval: '7d', grace: '1d', warnings: '3d, 1d', ...form } });
  expect(res.status, await res.clone().text()).toBe(303);
  const id = /\/oracle\/switches\/([\w-]{22})\?done=created$/.exec(res.headers.get('location')!)![1]!;
  return id;
}

async function addRecipient(client: Client, id: string, form: Record<string, string>): Promise<Response> {
  await client.visit(paths.switch(id));
  return client.fetch(paths.recipients(id), { form });
}

async function recipientOf(switchId: string, name: string) {
  return (await env.DB.prepare('SELECT id, message_id FROM oracle_recipients WHERE switch_id = ? AND name = ?')
    .bind(switchId, name)
    .first<{ id: string; message_id: string }>())!;
}

/** Seals as the browser does and posts what it posts; returns the key card (R). `readable`: the weaker mode (no key card). */
async function writeMessage(
  client: Client,
  switchId: string,
  recipient: { id: string; message_id: string },
  text: string,
  options: { readable?: boolean } = {},
): Promise<string> {
  await client.visit(paths.message(recipient.id));
  const sealed = await seal(text, switchId, recipient.message_id, { keyCard: !options.readable });
  const res = await client.fetch(paths.message(recipient.id), {
    form: {
      iv: sealed.iv,
      ciphertext: sealed.ciphertext,
      server_share: sealed.serverShare,
      length: String([...text].length),
      ...(options.readable ? { mode: 'server' } : {}),
    },
  });
  expect(res.status, await res.clone().text()).toBe(303);
  return sealed.recipientShare;
}

/** The cron, as Cloudflare calls it, at `at`. */
async function cron(at: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(at), cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const mail = async () =>
  (await env.DB.prepare('SELECT recipient, subject, body FROM oracle_mail ORDER BY id').all<{ recipient: string; subject: string; body: string }>()).results;

describe('a switch through the pages', () => {
  it('validates the settings together, with a message by each field', async () => {
    await admin;
    const me = await signedUp();
    await me.visit(paths.home);
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ name: '', interval: '7d' }, 'name', /Give the switch a name/],
      [{ name: 'x', interval: 'soon' }, 'interval', /write it like 30d/],
      [{ name: 'x', interval: '30m' }, 'interval', /the shortest is 1h/],
      [{ name: 'x', interval: '400d' }, 'interval', /between 1 hour and 366 days/],
      [{ name: 'x', interval: '2d', grace: '3d' }, 'grace', /at most the check-in interval/],
      [{ name: 'x', interval: '2d', warnings: '1d, 3d' }, 'warnings', /3 days is not less than 2 days/],
      [{ name: 'x', interval: '30d', warnings: '1d,2d,3d,4d,5d,6d' }, 'warnings', /at most 5/],
    ];
    for (const [form, field, message] of cases) {
      const res = await me.fetch(paths.switches, { form });
      expect(res.status, JSON.stringify(form)).toBe(422);
      const html = await res.text();
      expect(html, field).toMatch(new RegExp(`id="f-${field}-error">[^<]*${message.source}`));
      // What was typed comes back.
      if (form.interval) expect(html).toContain(`value="${form.interval}"`);
    }
    expect(
      (await env.DB.prepare('SELECT count(*) AS n FROM oracle_switches s JOIN users u ON u.id = s.owner_id WHERE u.email = ?')
        .bind(me.email)
        .first<{ n: number }>())!.n,
    ).toBe(0);
  });

  it('creates, shows the time left, checks in, edits and pauses', async () => {
    await admin;
    const me = await signedUp();
    const id = await createSwitch(me);
    const page = await (await me.fetch(`${paths.switch(id)}?done=created`)).text();
    expect(page).toContain('Switch created and armed');
    expect(page).toMatch(/Check in within <strong>7 days<\/strong>/);
    expect(page).toContain('<progress');
    const home = await (await me.fetch(paths.home)).text();
    expect(home).toContain(`href="${paths.switch(id)}"`);
    const checkin = await me.fetch(paths.checkin(id), { form: {} });
    expect(checkin.headers.get('location')).toBe(`${paths.switch(id)}?done=checked_in`);
    expect((await env.DB.prepare('SELECT cycle FROM oracle_switches WHERE id = ?').bind(id).first<{ cycle: number }>())!.cycle).toBe(2);
    // Edit: the form comes filled in; a bad value is refused in place.
    const edit = await (await me.fetch(`${paths.switch(id)}/edit`)).text();
    expect(edit).toContain('value="1w"');
    expect(edit).toContain('value="3d, 1d"');
    expect((await me.fetch(paths.switch(id), { form: { name: 'Papers', interval: '1d', grace: '2d', warnings: '' } })).status).toBe(422);
    const saved = await me.fetch(paths.switch(id), { form: { name: 'Papers 2', interval: '2w', grace: '0h', warnings: '1w, 2d' } });
    expect(saved.status).toBe(303);
    expect(await env.DB.prepare('SELECT name, interval_ms, grace_ms, ladder FROM oracle_switches WHERE id = ?').bind(id).first()).toEqual({
      name: 'Papers 2',
      interval_ms: 14 * DAY_MS,
      grace_ms: 0,
      ladder: JSON.stringify([7 * DAY_MS, 2 * DAY_MS]),
    });
    // Pause: a date in the past is refused; a future one pauses.
    expect((await me.fetch(paths.pause(id), { form: { until: '2001-01-01' } })).status).toBe(422);
    const until = new Date(Date.now() + 10 * DAY_MS).toISOString().slice(0, 10);
    expect((await me.fetch(paths.pause(id), { form: { until } })).status).toBe(303);
    const paused = await (await me.fetch(paths.switch(id))).text();
    expect(paused).toContain('Paused until');
    expect(paused).toContain('Check in and resume');
  });

  it('adds recipients: a bad address or a private webhook is refused; a webhook’s secret is shown once, never in a URL', async () => {
    await admin;
    const me = await signedUp();
    const id = await createSwitch(me);
    const bad = await addRecipient(me, id, { name: 'Ann', channel: 'email', target: 'not-an-address' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('That is not an email address');
    for (const target of ['http://example.com/hook', 'https://169.254.169.254/latest', 'https://10.0.0.8/hook', 'https://localhost/x']) {
      const res = await addRecipient(me, id, { name: 'Hook', channel: 'webhook', target });
      expect(res.status, target).toBe(422);
      expect(await res.text(), target).toMatch(/The webhook URL (must start with https|points to a private|names a host on a local|must name a public host)/);
    }
    expect((await addRecipient(me, id, { name: 'Ann', channel: 'email', target: 'ann@example.com' })).status).toBe(303);
    const hook = await addRecipient(me, id, { name: 'Hook', channel: 'webhook', target: 'https://hooks.example.com/oracle' });
    expect(hook.status).toBe(200);
    const html = await hook.text();
    const secret = /(whsec_[A-Za-z0-9+/=]+)/.exec(html)![1]!;
    expect(html).toContain('it is not shown again');
    // Stored wrapped, not as issued; the page after shows it no more.
    const stored = (await env.DB.prepare("SELECT webhook_secret FROM oracle_recipients WHERE name = 'Hook' AND switch_id = ?")
      .bind(id)
      .first<{ webhook_secret: string }>())!;
    expect(stored.webhook_secret).toMatch(/^v1\./);
    expect(stored.webhook_secret).not.toContain(secret.slice(6, 20));
    expect(await (await me.fetch(paths.switch(id))).text()).not.toContain(secret);
    // Without a message, the page says they get nothing.
    expect(await (await me.fetch(paths.switch(id))).text()).toContain('2 recipients have no message: write one, or they get nothing.');
  });

  it('a message is stored only as ciphertext and a wrapped share; posted without JavaScript it is refused clearly', async () => {
    await admin;
    const me = await signedUp();
    const id = await createSwitch(me);
    await addRecipient(me, id, { name: 'Ann', channel: 'email', target: 'ann@example.com' });
    const ann = await recipientOf(id, 'Ann');
    const writePage = await (await me.fetch(paths.message(ann.id))).text();
    // The text area has no name: the plain text is never part of a post.
    expect(writePage).toMatch(/<textarea id="oracle-plaintext"(?![^>]*\bname=)[^>]*>/);
    const noJs = await me.fetch(paths.message(ann.id), { form: { iv: '', ciphertext: '', server_share: '', length: '' } });
    expect(noJs.status).toBe(422);
    expect(await noJs.text()).toContain('Writing a sealed message needs JavaScript');
    const text = 'The will is in the blue folder.';
    const card = await writeMessage(me, id, ann, text);
    const row = (await env.DB.prepare('SELECT * FROM oracle_messages WHERE id = ?').bind(ann.message_id).first<Record<string, string>>())!;
    expect(JSON.stringify(row)).not.toContain('blue folder');
    expect(row.server_share).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(card);
    expect(await (await me.fetch(paths.switch(id))).text()).toContain(`Sealed message (${text.length} characters)`);
  });
});

describe('test this switch', () => {
  it('mails the owner what each recipient would get (no key, no message), pings each webhook, at most once every 10 minutes', async () => {
    const owner = await admin;
    const id = await createSwitch(owner, { name: 'Drill' });
    await addRecipient(owner, id, { name: 'Ann', channel: 'email', target: 'ann@example.com' });
    await addRecipient(owner, id, { name: 'Hook', channel: 'webhook', target: 'https://hooks.example.com/drill' });
    const ann = await recipientOf(id, 'Ann');
    await writeMessage(owner, id, ann, 'drill text');
    const tested = await owner.fetch(paths.test(id), { form: {} });
    expect(tested.headers.get('location')).toBe(`${paths.switch(id)}?done=tested`);
    const again = await owner.fetch(paths.test(id), { form: {} });
    expect(again.status).toBe(429);
    expect(await again.text()).toContain('once every 10 minutes');
    const rows = await env.DB.prepare("SELECT channel, target FROM oracle_deliveries WHERE switch_id = ? AND kind = 'test' ORDER BY id").bind(id).all();
    expect(rows.results).toEqual([
      { channel: 'email', target: owner.email },
      { channel: 'webhook', target: 'https://hooks.example.com/drill' },
    ]);
    // The ping to hooks.example.com is not sent from here (no network in the tests; its signing is tested in dispatch tests).
    await env.DB.prepare("DELETE FROM oracle_deliveries WHERE switch_id = ? AND kind = 'test' AND channel = 'webhook'").bind(id).run();
    await cron(Date.now() + 60_000);
    const summary = (await mail()).find((m) => m.subject === 'Test of “Drill”: what happens when it fires')!;
    expect(summary.recipient).toBe(owner.email);
    expect(summary.body).toContain('- Ann (email ann@example.com): their sealed message');
    expect(summary.body).toContain('- Hook (webhook https://hooks.example.com/drill): NOTHING: you have not written them a message yet.');
    expect(summary.body).toContain('not shown here: it carries half of the key');
    expect(summary.body).not.toMatch(/#s=[\w-]{43}/);
    expect(summary.body).not.toContain('drill text');
    // Nothing fired: no message went out, the switch is as it was.
    expect(
      (await env.DB.prepare("SELECT count(*) AS n FROM oracle_deliveries WHERE switch_id = ? AND kind = 'message'").bind(id).first<{ n: number }>())!.n,
    ).toBe(0);
    expect((await env.DB.prepare('SELECT state FROM oracle_switches WHERE id = ?').bind(id).first<{ state: string }>())!.state).toBe('armed');
  });
});

describe('check-in links and the API', () => {
  it('a warning’s link opens a page that changes nothing; its button checks in once; the link is spent after', async () => {
    await admin;
    const me = await signedUp();
    const id = await createSwitch(me, { interval: '2d', grace: '0h', warnings: '1d' });
    const created = (await env.DB.prepare('SELECT checked_in_at FROM oracle_switches WHERE id = ?').bind(id).first<{ checked_in_at: number }>())!.checked_in_at;
    await cron(created + DAY_MS + 60_000);
    const warning = (await mail()).find((m) => m.subject.startsWith('Check in: “Papers”'))!;
    expect(warning.subject).toBe('Check in: “Papers” is due in 1 day');
    const link = new URL(/Check in: (\S+)/.exec(warning.body)![1]!);
    const scanner = new Client();
    const open = await scanner.fetch(link.pathname);
    expect(open.status).toBe(200);
    expect(open.headers.get('referrer-policy')).toBe('same-origin');
    expect(await open.text()).toContain('Opening this page changed nothing');
    expect((await env.DB.prepare('SELECT cycle FROM oracle_switches WHERE id = ?').bind(id).first<{ cycle: number }>())!.cycle).toBe(1);
    const pressed = await scanner.fetch(link.pathname, { form: {} });
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toContain('is armed again');
    expect((await env.DB.prepare('SELECT cycle FROM oracle_switches WHERE id = ?').bind(id).first<{ cycle: number }>())!.cycle).toBe(2);
    const again = await scanner.fetch(link.pathname, { form: {} });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('This check-in link has been used');
    // A forged link is the 404 of no link.
    const forged = await scanner.fetch(paths.checkinLink(`${id}.2.${'A'.repeat(43)}`));
    expect(forged.status).toBe(404);
  });

  it('curl checks in with an oracle:checkin (or oracle) token; another scope is 403; a fired switch is 409', async () => {
    await admin;
    const me = await signedUp();
    const id = await createSwitch(me, { interval: '1h', grace: '0h', warnings: '' });
    const token = await createToken(me, ['oracle:checkin']);
    const curl = new Client();
    const auth = { authorization: `Bearer ${token}` };
    const res = await curl.fetch(apiPaths.checkin(id), { method: 'POST', headers: auth, bare: true });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { state: string; fires_at: string };
    expect(body.state).toBe('armed');
    expect(Date.parse(body.fires_at) - Date.now()).toBeGreaterThan(HOUR_MS - 60_000);
    // This token checks in and nothing else.
    expect((await curl.fetch(apiPaths.switch(id), { headers: auth, bare: true })).status).toBe(403);
    const reader = await createToken(me, ['oracle']);
    expect((await curl.fetch(apiPaths.checkin(id), { method: 'POST', headers: { authorization: `Bearer ${reader}` }, bare: true })).status).toBe(200);
    expect((await curl.fetch(apiPaths.switch(id), { headers: { authorization: `Bearer ${reader}` }, bare: true })).status).toBe(200);
    const unrelated = await createToken(me, ['account:read']);
    const refused = await curl.fetch(apiPaths.checkin(id), { method: 'POST', headers: { authorization: `Bearer ${unrelated}` }, bare: true });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toContain('lacks the “oracle:checkin” scope');
    // Two hours on, the cron fires it; a check-in then is 409 with the reason.
    await cron(Date.now() + 2 * HOUR_MS);
    const late = await curl.fetch(apiPaths.checkin(id), { method: 'POST', headers: auth, bare: true });
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
    expect(((await late.json()) as { detail: string }).detail).toContain('already fired');
  });

  it('creates a switch through the API with the same rules (422 naming the field)', async () => {
    await admin;
    const me = await signedUp();
    const token = await createToken(me, ['oracle']);
    const curl = new Client();
    const auth = { authorization: `Bearer ${token}` };
    const bad = await curl.fetch(apiPaths.switches, { json: { name: 'x', interval: '1d', grace: '2d', extra: 1 }, headers: auth, bare: true });
    expect(bad.status).toBe(422);
    const problem = JSON.stringify(await bad.json());
    expect(problem).toContain('extra');
    const made = await curl.fetch(apiPaths.switches, {
      json: { name: 'API', interval: '30d', grace: '2d', warnings: ['7d', '1d'] },
      headers: auth,
      bare: true,
    });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ name: 'API', state: 'armed', interval_ms: 30 * DAY_MS, warnings_ms: [7 * DAY_MS, DAY_MS] });
  });
});

describe('the clock, the cron and the recipient', () => {
  it('walks armed → warning → grace → fired on the cron: each warning once, mail in the outbox, the message opens with both halves', async () => {
    const owner = await admin;
    const id = await createSwitch(owner, { name: 'Walk', interval: '4d', grace: '1d', warnings: '2d, 1d' });
    await addRecipient(owner, id, { name: 'Bea', channel: 'email', target: 'bea@example.com' });
    const bea = await recipientOf(id, 'Bea');
    const text = 'Bea: the key to the flat is with Mrs. Ortiz.';
    const card = await writeMessage(owner, id, bea, text);
    const start = (await env.DB.prepare('SELECT checked_in_at FROM oracle_switches WHERE id = ?').bind(id).first<{ checked_in_at: number }>())!.checked_in_at;
    const before = (await mail()).length;
    // Before dispatch the open link's ciphertext is the 404 of a message that does not exist.
    expect((await new Client().fetch(paths.sealed(bea.message_id))).status).toBe(404);
    // Every hour for 6 days, the cron (ticks of an hour stand for the minutes between).
    for (let t = start; t <= start + 6 * DAY_MS; t += HOUR_MS) await cron(t);
    const sent = (await mail()).slice(before).filter((m) => m.subject.includes('Walk') || m.recipient === 'bea@example.com');
    expect(sent.slice(0, 3).map((m) => [m.recipient, m.subject])).toEqual([
      [owner.email, 'Check in: “Walk” is due in 2 days'],
      [owner.email, 'Check in: “Walk” is due in 1 day'],
      [owner.email, expect.stringMatching(/^Overdue: “Walk” fires at \d{4}-\d\d-\d\d \d\d:\d\d UTC unless you check in$/)],
    ]);
    // Then, in the same run and in either order, Bea's message and the owner's notice.
    expect(
      sent
        .slice(3)
        .map((m) => [m.recipient, m.subject])
        .sort(),
    ).toEqual([
      ['bea@example.com', `A sealed message from ${owner.email}`],
      [owner.email, 'Your switch “Walk” fired'],
    ]);
    expect((await env.DB.prepare('SELECT state FROM oracle_switches WHERE id = ?').bind(id).first<{ state: string }>())!.state).toBe('completed');
    // The last warning's check-in link, opened now: it says the switch fired, with no button that could only fail.
    const overdue = sent.find((m) => m.subject.startsWith('Overdue: “Walk”'))!;
    const late = await new Client().fetch(new URL(/Check in: (\S+)/.exec(overdue.body)![1]!).pathname);
    expect(late.status).toBe(200);
    const latePage = await late.text();
    expect(latePage).toContain('Walk has fired');
    expect(latePage).not.toContain('Check in now');
    // The recipient's mail: a link with S in its fragment. With the key card it opens; alone it does not.
    const letter = sent.find((m) => m.recipient === 'bea@example.com')!;
    expect(letter.body).not.toContain(text);
    const link = new URL(/Open it here: (\S+)/.exec(letter.body)![1]!);
    expect(link.pathname).toBe(paths.open(bea.message_id));
    const s = new URLSearchParams(link.hash.slice(1)).get('s')!;
    const page = await new Client().fetch(link.pathname);
    expect(page.status).toBe(200);
    const sealed = (await (await new Client().fetch(paths.sealed(bea.message_id))).json()) as { iv: string; ciphertext: string; switch_id: string };
    expect(await unseal(sealed, s, card, sealed.switch_id, bea.message_id)).toBe(text);
    await expect(unseal(sealed, s, toBase64url(new Uint8Array(32)), sealed.switch_id, bea.message_id)).rejects.toThrow();
    // The outbox is for admins.
    const outbox = await owner.fetch(paths.outbox);
    expect(outbox.status).toBe(200);
    expect(await outbox.text()).toContain('A sealed message from');
    expect((await (await signedUp()).fetch(paths.outbox)).status).toBe(403);
    // More cron runs send nothing more.
    const walkMail = async () => (await mail()).filter((m) => m.subject.includes('Walk') || m.recipient === 'bea@example.com').length;
    const count = await walkMail();
    for (let t = start + 6 * DAY_MS; t <= start + 8 * DAY_MS; t += 6 * HOUR_MS) await cron(t);
    expect(await walkMail()).toBe(count);
  }, 30_000); // (a dozen cron ticks and requests: more than the default 5 s on a loaded 2-core machine)

  it('with a dump of D1 and every secret, none of 100 key-card messages opens; each opens with its card', { timeout: 60_000 }, async () => {
    const owner = await admin;
    const id = await createSwitch(owner, { name: 'Dump', interval: '1h', grace: '0h', warnings: '' });
    const cards: Array<{ messageId: string; card: string; text: string }> = [];
    const logs = captureLogs();
    for (let i = 0; i < 20; i++) await addRecipient(owner, id, { name: `R${i}`, channel: 'email', target: `r${i}@example.com` });
    // 20 recipients a switch: 5 switches for 100 messages.
    const switches = [id];
    for (let k = 1; k < 5; k++) {
      const other = await createSwitch(owner, { name: `Dump ${k}`, interval: '1h', grace: '0h', warnings: '' });
      switches.push(other);
      for (let i = 0; i < 20; i++) await addRecipient(owner, other, { name: `R${i}`, channel: 'email', target: `r${i}.${k}@example.com` });
    }
    for (const sw of switches) {
      for (let i = 0; i < 20; i++) {
        const r = await recipientOf(sw, `R${i}`);
        const text = `secret number ${sw}-${i}`;
        cards.push({ messageId: r.message_id, card: await writeMessage(owner, sw, r, text), text });
      }
    }
    await cron(Date.now() + 2 * HOUR_MS);
    for (let i = 0; i < 4; i++) await cron(Date.now() + 3 * HOUR_MS + i * 60_000);
    // The operator's dump: every row of every table, and every secret of the environment.
    const tables = (
      await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>()
    ).results;
    const dump: string[] = [];
    for (const { name } of tables) {
      const rows = (await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results;
      dump.push(JSON.stringify(rows));
    }
    const secrets = [env.SESSION_SECRET, WRAP_KEY];
    const everything = [...dump, ...secrets].join('\n');
    // Every 32-byte value in it (base64url or hex tokens), and every server share the operator can unwrap.
    const candidates = new Set<string>();
    for (const m of everything.matchAll(/[A-Za-z0-9_-]{43}|[0-9a-f]{64}/g)) {
      const bytes = m[0].length === 64 ? Uint8Array.from(m[0].match(/../g)!, (h) => Number.parseInt(h, 16)) : fromBase64url(m[0]);
      if (bytes.length === 32) candidates.add(toBase64url(bytes));
    }
    const unwrapped: Record<string, string> = {};
    const messages = (await env.DB.prepare('SELECT id, switch_id, iv, ciphertext, server_share FROM oracle_messages').all<Record<string, string>>()).results;
    for (const m of messages) unwrapped[m.id!] = toBase64url(await unwrap(WRAP_KEY, shareLabel(m.id!), m.server_share!));
    expect(messages.length).toBeGreaterThanOrEqual(100);
    const zero = toBase64url(new Uint8Array(32));
    let opened = 0;
    for (const { messageId, card, text } of cards) {
      const m = messages.find((x) => x.id === messageId)!;
      const sealed = { iv: m.iv!, ciphertext: m.ciphertext! };
      const s = unwrapped[messageId]!;
      // The operator's best tries: S as the key, every candidate as the key, S with every candidate as the other half.
      const tries = [s, ...candidates].flatMap((c) => [
        [c, zero],
        [s, c],
      ]);
      for (const [a, b] of tries) {
        await expect(unseal(sealed, a!, b!, m.switch_id!, messageId), 'the dump alone opened a message').rejects.toThrow();
      }
      expect(candidates.has(card), 'a key card is in the dump').toBe(false);
      // The content key CK = S ⊕ R is nowhere either.
      expect(candidates.has(toBase64url(xor(fromBase64url(s), fromBase64url(card))))).toBe(false);
      // With the recipient's card it opens.
      expect(await unseal(sealed, s, card, m.switch_id!, messageId)).toBe(text);
      opened++;
    }
    expect(opened).toBe(100);
    // No log line carries a share, a card, a content key or a text.
    const logText = logs.raw().join('\n');
    for (const { messageId, card, text } of cards.slice(0, 20)) {
      expect(logText).not.toContain(card);
      expect(logText).not.toContain(unwrapped[messageId]);
      expect(logText).not.toContain(text);
    }
    logs.stop();
  });
});

describe('the hostile review’s cases', () => {
  it('a fired switch cannot be deleted for 30 days: its messages stay openable', async () => {
    const owner = await admin;
    const id = await createSwitch(owner, { name: 'Kept', interval: '1h', grace: '0h', warnings: '' });
    await addRecipient(owner, id, { name: 'Kim', channel: 'email', target: 'kim@example.com' });
    const kim = await recipientOf(id, 'Kim');
    await writeMessage(owner, id, kim, 'kept text');
    await cron(Date.now() + 2 * HOUR_MS);
    await cron(Date.now() + 2 * HOUR_MS + 60_000);
    const page = await (await owner.fetch(paths.switch(id))).text();
    expect(page).toContain('A switch that has fired is kept 30 days');
    expect(page).not.toContain('Delete switch');
    const refused = await owner.fetch(paths.remove(id), { form: { confirm: 'yes' } });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('firing cannot be undone');
    expect((await new Client().fetch(paths.sealed(kim.message_id))).status).toBe(200);
    // 31 days on, it may go.
    await env.DB.prepare('UPDATE oracle_switches SET triggered_at = triggered_at - ? WHERE id = ?')
      .bind(31 * DAY_MS, id)
      .run();
    expect((await owner.fetch(paths.remove(id), { form: { confirm: 'yes' } })).status).toBe(303);
  });

  it('an impossible pause date is a 422 with the reason, not a 500 or a rolled-over date', async () => {
    await admin;
    const me = await signedUp();
    const id = await createSwitch(me);
    for (const until of ['2026-13-45', '0000-00-00', '2027-02-30']) {
      const res = await me.fetch(paths.pause(id), { form: { until } });
      expect(res.status, until).toBe(422);
      expect(await res.text(), until).toContain('Pick a date after today and within a year.');
    }
    expect((await env.DB.prepare('SELECT state FROM oracle_switches WHERE id = ?').bind(id).first<{ state: string }>())!.state).toBe('armed');
  });

  it('a warning already sent goes out again for a new deadline (settings changed); never twice for the same one', async () => {
    const owner = await admin;
    const id = await createSwitch(owner, { name: 'Moved', interval: '3h', grace: '0h', warnings: '1h' });
    const start = (await env.DB.prepare('SELECT checked_in_at FROM oracle_switches WHERE id = ?').bind(id).first<{ checked_in_at: number }>())!.checked_in_at;
    const warnings = async () => (await mail()).filter((m) => m.subject.startsWith('Check in: “Moved”')).length;
    await cron(start + 2 * HOUR_MS + 60_000);
    expect(await warnings()).toBe(1);
    await cron(start + 2 * HOUR_MS + 120_000);
    expect(await warnings()).toBe(1);
    // Six hours from the same check-in: the deadline moves, and its warning is a new one.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start + 2 * HOUR_MS + 180_000);
    const saved = await owner.fetch(paths.switch(id), { form: { name: 'Moved', interval: '6h', grace: '0h', warnings: '1h' } });
    vi.useRealTimers();
    expect(saved.status).toBe(303);
    expect(await env.DB.prepare('SELECT state, rung FROM oracle_switches WHERE id = ?').bind(id).first()).toEqual({ state: 'armed', rung: 0 });
    await cron(start + 5 * HOUR_MS + 60_000);
    expect(await warnings()).toBe(2);
  });

  it('an account’s sealed messages together are capped (4 MiB), with the reason', async () => {
    await admin;
    const me = await signedUp();
    const id = await createSwitch(me);
    await addRecipient(me, id, { name: 'Big', channel: 'email', target: 'big@example.com' });
    const big = await recipientOf(id, 'Big');
    // 47 messages of the largest size are stored already (through SQL: the cap counts what is stored).
    const owner = (await env.DB.prepare('SELECT owner_id FROM oracle_switches WHERE id = ?').bind(id).first<{ owner_id: number }>())!.owner_id;
    const filler = 'A'.repeat(87_382);
    const statements = [];
    for (let i = 0; i < 47; i++) {
      const rid = `filler${String(i).padStart(16, '0')}`;
      const mid = `fillmsg${String(i).padStart(15, '0')}`;
      statements.push(
        env.DB.prepare(
          "INSERT INTO oracle_recipients (id, switch_id, name, channel, target, message_id, created_at) VALUES (?, ?, 'f', 'email', ?, ?, 0)",
        ).bind(rid, id, `f${i}@example.com`, mid),
        env.DB.prepare(
          "INSERT INTO oracle_messages (id, switch_id, iv, ciphertext, server_share, length, updated_at) VALUES (?, ?, 'AAAAAAAAAAAAAAAA', ?, 'v1.x.y', 1, 0)",
        ).bind(mid, id, filler),
      );
    }
    await env.DB.batch(statements);
    expect(owner).toBeGreaterThan(0);
    await me.visit(paths.message(big.id));
    const res = await me.fetch(paths.message(big.id), {
      form: { iv: 'A'.repeat(16), ciphertext: 'A'.repeat(87_382), server_share: 'A'.repeat(43), length: '10' },
    });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('Your sealed messages together may take 4 MiB');
    // A short one still fits.
    expect(
      (await me.fetch(paths.message(big.id), { form: { iv: 'A'.repeat(16), ciphertext: 'A'.repeat(100), server_share: 'A'.repeat(43), length: '10' } })).status,
    ).toBe(303);
  });

  it('the trusted contact is told when grace starts and may postpone once; the owner is told; the link is spent after', async () => {
    const owner = await admin;
    const bad = await owner.fetch(paths.switches, { form: { name: 'x', interval: '1d', grace: '0h', contact: 'pat@example.com' } });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('give the switch a grace period');
    const id = await createSwitch(owner, { name: 'Trust', interval: '2h', grace: '1h', warnings: '', contact: 'pat@example.com' });
    expect(await (await owner.fetch(paths.switch(id))).text()).toContain('Trusted contact: pat@example.com');
    const start = (await env.DB.prepare('SELECT checked_in_at FROM oracle_switches WHERE id = ?').bind(id).first<{ checked_in_at: number }>())!.checked_in_at;
    await cron(start + 2 * HOUR_MS + 60_000);
    const notice = (await mail()).find((m) => m.recipient === 'pat@example.com')!;
    expect(notice.subject).toBe(`${owner.email} missed a check-in: you can postpone their switch once`);
    expect(notice.body).not.toContain('Trust'); // the contact sees no switch name, message or recipient
    const link = new URL(/(https?:\/\/\S+\/oracle\/p\/\S+)/.exec(notice.body)![1]!);
    const pat = new Client();
    const page = await pat.fetch(link.pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Opening this page changed nothing');
    const postponed = await pat.fetch(link.pathname, { form: {} });
    expect(postponed.status).toBe(200);
    expect(await postponed.text()).toContain('now fires');
    const row = await env.DB.prepare('SELECT state, postponed_ms, deadline_at - checked_in_at AS span FROM oracle_switches WHERE id = ?').bind(id).first();
    // Grace is over for now: with no warnings on its ladder, it is simply armed again.
    expect(row).toEqual({ state: 'armed', postponed_ms: 3 * DAY_MS, span: 2 * HOUR_MS + 3 * DAY_MS });
    expect((await pat.fetch(link.pathname, { form: {} })).status).toBe(409);
    await cron(start + 2 * HOUR_MS + 120_000);
    expect((await mail()).some((m) => m.recipient === owner.email && m.subject === 'Your trusted contact postponed “Trust”')).toBe(true);
    // It fires at the new deadline plus grace, not before.
    await cron(start + 2 * HOUR_MS + 3 * DAY_MS + 30 * 60_000);
    expect((await env.DB.prepare('SELECT state FROM oracle_switches WHERE id = ?').bind(id).first<{ state: string }>())!.state).toBe('grace');
    // A forged postpone link is the 404 of none; a check-in link is not a postpone link.
    expect((await pat.fetch(paths.postponeLink(`${id}.1.${'A'.repeat(43)}`))).status).toBe(404);
  });

  it('a check-in link refused before any route (a cross-site post, a 404 with a trailing slash) is not written to the log', async () => {
    await admin;
    const me = await signedUp();
    const id = await createSwitch(me);
    const { linkToken } = await import('../../workers/oracle/tokens');
    const token = await linkToken(env.SESSION_SECRET, 'checkin', id, 1);
    const mac = token.split('.')[2]!;
    const logs = captureLogs();
    const forged = await new Client().fetch(paths.checkinLink(token), {
      form: {},
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(forged.status).toBe(403);
    expect((await new Client().fetch(`${paths.checkinLink(token)}/`)).status).toBe(404);
    const written = logs.raw().join('\n');
    logs.stop();
    expect(written).toContain('"status":403');
    expect(written).not.toContain(mac);
    expect(written).not.toContain(id);
  });

  it('on an instance that is not local, the development outbox keeps no key and no working link', async () => {
    const { withoutKeys } = await import('../../workers/oracle/channels');
    const body =
      'Open it here: https://oracle.example.com/oracle/open/abcdefghijklmnopqrstuv#s=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nCheck in: https://oracle.example.com/oracle/c/abcdefghijklmnopqrstuv.3.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
    const kept = withoutKeys(body);
    expect(kept).not.toContain('AAAAAAAAAAAAAAAAAAAA');
    expect(kept).not.toContain('BBBBBBBBBBBBBBBBBBBB');
    expect(kept).toContain('/oracle/c/(not kept)');
  });
});

describe('messages readable by the server (the weaker mode)', () => {
  it('the page offers it and says what it costs; the server checks it opens, counts its length, and sends its text when the switch fires', async () => {
    const owner = await admin;
    const id = await createSwitch(owner, { name: 'Plain', interval: '1h', grace: '0h', warnings: '' });
    await addRecipient(owner, id, { name: 'Cy', channel: 'email', target: 'cy@example.com' });
    await addRecipient(owner, id, { name: 'Di', channel: 'email', target: 'di@example.com' });
    const cy = await recipientOf(id, 'Cy');
    const di = await recipientOf(id, 'Di');
    const page = await (await owner.fetch(paths.message(cy.id))).text();
    expect(page).toMatch(/<input type="radio" name="mode" value="keycard" checked=""/);
    expect(page).toContain('weaker: whoever runs this Sixfold could read it');

    // A key-card message posted as readable does not open with S alone: refused, nothing stored.
    await owner.visit(paths.message(cy.id));
    const keycard = await seal('not for the server', id, cy.message_id);
    const lie = await owner.fetch(paths.message(cy.id), {
      form: { iv: keycard.iv, ciphertext: keycard.ciphertext, server_share: keycard.serverShare, length: '18', mode: 'server' },
    });
    expect(lie.status).toBe(422);
    expect(await lie.text()).toContain('the key sent does not open it');
    expect(await env.DB.prepare('SELECT 1 FROM oracle_messages WHERE id = ?').bind(cy.message_id).first()).toBeNull();
    const odd = await owner.fetch(paths.message(cy.id), {
      form: { iv: keycard.iv, ciphertext: keycard.ciphertext, server_share: keycard.serverShare, length: '18', mode: 'plain' },
    });
    expect(odd.status).toBe(422);

    // An empty message is refused as such (the length field cannot say otherwise).
    const empty = await seal('', id, cy.message_id, { keyCard: false });
    const blank = await owner.fetch(paths.message(cy.id), {
      form: { iv: empty.iv, ciphertext: empty.ciphertext, server_share: empty.serverShare, length: '1', mode: 'server' },
    });
    expect(blank.status).toBe(422);
    expect(await blank.text()).toContain('The message is empty');
    const text = 'Cy: the boat is yours. 🛶';
    await writeMessage(owner, id, cy, text, { readable: true });
    await writeMessage(owner, id, di, 'Di: a key-card message.');
    const row = (await env.DB.prepare('SELECT mode, length, server_share FROM oracle_messages WHERE id = ?')
      .bind(cy.message_id)
      .first<Record<string, unknown>>())!;
    expect(row).toMatchObject({ mode: 'server', length: [...text].length });
    expect(String(row.server_share)).toMatch(/^v1\./);
    const switchPage = await (await owner.fetch(paths.switch(id))).text();
    expect(switchPage).toContain(`Message readable by Oracle (${[...text].length} characters)`);
    expect(switchPage).toContain('Sealed message (23 characters)');

    const start = (await env.DB.prepare('SELECT checked_in_at FROM oracle_switches WHERE id = ?').bind(id).first<{ checked_in_at: number }>())!.checked_in_at;
    await cron(start + HOUR_MS + 60_000);
    const letters = (await mail()).filter((m) => m.recipient === 'cy@example.com' || m.recipient === 'di@example.com');
    const toCy = letters.find((m) => m.recipient === 'cy@example.com')!;
    expect(toCy.subject).toBe(`A message from ${owner.email}`);
    expect(toCy.body).toContain(text);
    expect(toCy.body).not.toContain('#s=');
    const toDi = letters.find((m) => m.recipient === 'di@example.com')!;
    expect(toDi.subject).toBe(`A sealed message from ${owner.email}`);
    expect(toDi.body).not.toContain('key-card message');
  });

  it('a webhook gets the text in its event; an outbox that is not local keeps the text out', async () => {
    const { compose } = await import('../../workers/oracle/dispatch');
    const { wrap } = await import('../../workers/oracle/wrap');
    const sealed = await seal('hook text', 'switch-a', 'message-a', { keyCard: false });
    const delivery = {
      id: 1,
      switchId: 'switch-a',
      kind: 'message' as const,
      recipientId: 'recipient-a',
      recipientName: 'Ops',
      channel: 'webhook' as const,
      target: 'https://hooks.example.com/x',
      detail: '{}',
      idempotencyKey: 'switch-a:recipient-a:webhook:1',
      state: 'sending' as const,
      attempts: 1,
      nextAttemptAt: 0,
      lastError: null,
      createdAt: 0,
      sentAt: null,
      leaseToken: 'lease',
      switchName: 'Hooked',
      origin: 'https://oracle.example.com',
      ownerEmail: 'owner@example.com',
      ownerName: '',
      webhookSecret: await wrap(WRAP_KEY, 'webhook:recipient-a', new TextEncoder().encode('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')),
      messageId: 'message-a',
      serverShare: await wrap(WRAP_KEY, shareLabel('message-a'), fromBase64url(sealed.serverShare)),
      readable: { iv: sealed.iv, ciphertext: sealed.ciphertext },
      files: 0,
      checkinCycle: 1,
    };
    const out = await compose(delivery, Date.now(), { wrapKey: WRAP_KEY, sessionSecret: env.SESSION_SECRET });
    expect(out.event.data).toMatchObject({ text: 'hook text', from: 'owner@example.com', recipient: 'Ops' });
    expect(out.event.data).not.toHaveProperty('server_share');
    expect(out.text).toContain('hook text');
    // The non-local outbox's copy is written without the text, whatever the text repeats.
    expect(out.redactedText).not.toContain('hook text');
    expect(out.redactedText).toContain('the message text: not kept here');
    // A readable message whose key does not open it (a changed row) fails the send, never sends garbage.
    await expect(
      compose({ ...delivery, readable: { iv: sealed.iv, ciphertext: `${sealed.ciphertext.slice(0, -2)}AA` } }, Date.now(), {
        wrapKey: WRAP_KEY,
        sessionSecret: env.SESSION_SECRET,
      }),
    ).rejects.toThrow('does not open');
  });
});

describe('deliveries that gave up', () => {
  it('admins are told on Oracle’s page and see every one, with why (members cannot)', async () => {
    const owner = await admin;
    const member = await signedUp();
    const id = await createSwitch(member, { name: 'Doomed' });
    await env.DB.prepare(
      `INSERT INTO oracle_deliveries (switch_id, kind, channel, target, detail, idempotency_key, state, attempts, next_attempt_at, last_error, created_at)
       VALUES (?, 'warning', 'webhook', 'https://hooks.example.com/down', '{}', ?, 'dead', 10, 0, 'the webhook answered 503', ?)`,
    )
      .bind(id, `dead-test:${id}`, Date.now())
      .run();
    const home = await (await owner.fetch(paths.home)).text();
    expect(home).toMatch(/gave up in the last week[\s\S]*href="\/oracle\/failed"/);
    const page = await owner.fetch(paths.failed);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Doomed');
    expect(html).toContain('the webhook answered 503');
    expect(html).toContain(member.email);
    expect((await member.fetch(paths.failed)).status).toBe(403);
    expect(await (await member.fetch(paths.home)).text()).not.toContain('/oracle/failed');
  });
});

describe('the owner’s own webhook', () => {
  it('is refused when private; its secret is shown once and kept wrapped; warnings and the fired notice go to it signed with that secret; it can be removed', async () => {
    const owner = await admin;
    const id = await createSwitch(owner, { name: 'Hooked', interval: '2d', grace: '0h', warnings: '1d' });
    await owner.visit(paths.switch(id));
    const bad = await owner.fetch(paths.ownerWebhook(id), { form: { url: 'https://192.168.1.10/hook' } });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('The webhook URL points to a private');
    const added = await owner.fetch(paths.ownerWebhook(id), { form: { url: 'https://hooks.example.com/mine' } });
    expect(added.status).toBe(200);
    const page = await added.text();
    const secret = /<code class="token-value">(whsec_[^<]+)<\/code>/.exec(page)![1]!;
    expect(page).toContain('The signing secret of your own webhook');
    const row = (await env.DB.prepare('SELECT owner_webhook, owner_webhook_secret FROM oracle_switches WHERE id = ?')
      .bind(id)
      .first<Record<string, string>>())!;
    expect(row.owner_webhook).toBe('https://hooks.example.com/mine');
    expect(row.owner_webhook_secret).toMatch(/^v1\./);
    expect(row.owner_webhook_secret).not.toContain(secret.slice(6, 20));
    const again = await (await owner.fetch(paths.switch(id))).text();
    expect(again).not.toContain(secret);
    expect(again).toContain('also go to the webhook');

    // A day on: the warning goes by email and to the webhook (composed and signed as the dispatcher sends it).
    const { compose } = await import('../../workers/oracle/dispatch');
    const { claimDeliveries } = await import('../../workers/oracle/repository');
    const start = (await env.DB.prepare('SELECT checked_in_at FROM oracle_switches WHERE id = ?').bind(id).first<{ checked_in_at: number }>())!.checked_in_at;
    const { advanceDue } = await import('../../workers/oracle/dispatch');
    await advanceDue(env.DB, start + DAY_MS + 60_000);
    const rows = await env.DB.prepare("SELECT channel, target, idempotency_key FROM oracle_deliveries WHERE switch_id = ? AND kind = 'warning' ORDER BY id")
      .bind(id)
      .all();
    expect(rows.results.map((r) => [r.channel, r.target])).toEqual([
      ['email', owner.email],
      ['webhook', 'https://hooks.example.com/mine'],
    ]);
    expect(String(rows.results[1]!.idempotency_key)).toBe(`${rows.results[0]!.idempotency_key}:webhook`);
    const claimed = (await claimDeliveries(env.DB, start + DAY_MS + 60_000, 'lease-test', 60_000, 100)).filter((d) => d.switchId === id);
    const hook = claimed.find((d) => d.channel === 'webhook')!;
    const out = await compose(hook, start + DAY_MS + 60_000, { wrapKey: WRAP_KEY, sessionSecret: env.SESSION_SECRET });
    expect(out.secret).toBe(secret);
    expect(out.event.type).toBe('oracle.warning');
    expect(out.event.data).toMatchObject({ switch_id: id, switch_name: 'Hooked', summary: 'Check in: “Hooked” is due in 1 day' });
    expect(String(out.event.data.checkin_url)).toMatch(/\/oracle\/c\//);

    // Both copies fail for good: the owner hears of each (their "gave up" notices are keyed apart).
    const { markFailed } = await import('../../workers/oracle/repository');
    const mail = claimed.find((d) => d.channel === 'email')!;
    await markFailed(env.DB, hook, 'the webhook answered 500', null, start + DAY_MS + 60_000);
    await markFailed(env.DB, mail, 'the email provider answered 422', null, start + DAY_MS + 60_000);
    const deadNotices = await env.DB.prepare("SELECT channel, idempotency_key FROM oracle_deliveries WHERE switch_id = ? AND kind = 'dead'").bind(id).all();
    expect(deadNotices.results).toHaveLength(4);

    // Another warning due to this webhook, then the webhook changes: it is cancelled, not sent to the old address.
    await env.DB.prepare(
      "INSERT INTO oracle_deliveries (switch_id, kind, channel, target, detail, idempotency_key, next_attempt_at, created_at) VALUES (?, 'overdue', 'webhook', 'https://hooks.example.com/mine', '{}', ?, 0, 0)",
    )
      .bind(id, `overdue-test:${id}`)
      .run();
    await owner.visit(paths.switch(id));
    await owner.fetch(paths.ownerWebhook(id), { form: { url: 'https://hooks.example.com/new' } });
    const cancelled = await env.DB.prepare('SELECT state, last_error FROM oracle_deliveries WHERE idempotency_key = ?').bind(`overdue-test:${id}`).first();
    expect(cancelled).toEqual({ state: 'dead', last_error: 'cancelled: you changed your webhook' });

    // Removed: the next notices go by email only.
    await owner.visit(paths.switch(id));
    const removed = await owner.fetch(paths.ownerWebhook(id), { form: { url: '' } });
    expect(removed.headers.get('location')).toBe(`${paths.switch(id)}?done=owner_webhook_removed`);
    expect(
      (await env.DB.prepare('SELECT owner_webhook FROM oracle_switches WHERE id = ?').bind(id).first<{ owner_webhook: null }>())!.owner_webhook,
    ).toBeNull();
    // Someone else's switch: the 404 of a missing one.
    const stranger = await signedUp();
    await stranger.visit(paths.home);
    expect((await stranger.fetch(paths.ownerWebhook(id), { form: { url: 'https://hooks.example.com/x' } })).status).toBe(404);
  });
});

describe('the newcomer’s cases', () => {
  it('an address added twice (a reload of the form) is refused by the field; removing a recipient with a message takes a tick', async () => {
    await admin;
    const me = await signedUp();
    const id = await createSwitch(me);
    expect((await addRecipient(me, id, { name: 'Ann', channel: 'email', target: 'ann@example.com' })).status).toBe(303);
    const twice = await addRecipient(me, id, { name: 'Ann again', channel: 'email', target: 'ann@example.com' });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toMatch(/id="f-target-error">That address is a recipient of this switch already\./);
    const ann = await recipientOf(id, 'Ann');
    await writeMessage(me, id, ann, 'keep me');
    const untick = await me.fetch(paths.removeRecipient(ann.id), { form: {} });
    expect(untick.status).toBe(422);
    expect(await untick.text()).toContain('Tick “and their message”');
    expect((await me.fetch(paths.removeRecipient(ann.id), { form: { confirm: 'yes' } })).status).toBe(303);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM oracle_messages WHERE id = ?').bind(ann.message_id).first<{ n: number }>())!.n).toBe(0);
  });

  it('a switch with no messages says so on the list, and its "fired" notice says nothing went out', async () => {
    const owner = await admin;
    const id = await createSwitch(owner, { name: 'Empty', interval: '1h', grace: '0h', warnings: '' });
    expect(await (await owner.fetch(paths.home)).text()).toContain('No sealed messages yet: if it fires, no one gets anything.');
    await cron(Date.now() + 2 * HOUR_MS);
    const fired = (await mail()).find((m) => m.subject === 'Your switch “Empty” fired')!;
    expect(fired.body).toContain('It had no messages to send');
    expect(id).toHaveLength(22);
  });

  it('a webhook that cannot be reached is logged in words, not as the runtime’s internal error', async () => {
    const { failureText } = await import('../../workers/oracle/channels');
    const out = { key: 'k', channel: 'webhook' as const, to: 'https://hooks.example.com/x', subject: '', text: '', event: { type: 't', data: {} } };
    expect(failureText(out, new Error('internal error; reference = abc'))).toBe(
      'could not connect to hooks.example.com (its name did not resolve, or the connection failed)',
    );
    expect(failureText(out, new DOMException('timed out', 'TimeoutError'))).toBe('hooks.example.com did not answer within 10 seconds');
  });
});

describe('someone else’s switch', () => {
  it('is the 404 of a missing one, for every page and form; the API too', async () => {
    const owner = await admin;
    const id = await createSwitch(owner);
    await addRecipient(owner, id, { name: 'Ann', channel: 'email', target: 'ann@example.com' });
    const ann = await recipientOf(id, 'Ann');
    const stranger = await signedUp();
    await stranger.visit(paths.home);
    const missing = 'AAAAAAAAAAAAAAAAAAAAAA';
    for (const path of [paths.switch(id), `${paths.switch(id)}/edit`, paths.message(ann.id)]) {
      const theirs = await stranger.fetch(path);
      expect(theirs.status, path).toBe(404);
    }
    expect((await stranger.fetch(paths.switch(missing))).status).toBe(404);
    for (const [path, form] of [
      [paths.switch(id), { name: 'x', interval: '1d' }],
      [paths.checkin(id), {}],
      [paths.test(id), {}],
      [paths.pause(id), { until: '2099-01-01' }],
      [paths.remove(id), { confirm: 'yes' }],
      [paths.recipients(id), { name: 'x', channel: 'email', target: 'x@example.com' }],
      [paths.removeRecipient(ann.id), {}],
      [paths.message(ann.id), { iv: 'A'.repeat(16), ciphertext: 'A'.repeat(40), server_share: 'A'.repeat(43), length: '1' }],
    ] as const) {
      expect((await stranger.fetch(path, { form })).status, path).toBe(404);
    }
    const token = await createToken(stranger, ['oracle', 'oracle:checkin']);
    const curl = new Client();
    expect((await curl.fetch(apiPaths.switch(id), { headers: { authorization: `Bearer ${token}` }, bare: true })).status).toBe(404);
    expect((await curl.fetch(apiPaths.checkin(id), { method: 'POST', headers: { authorization: `Bearer ${token}` }, bare: true })).status).toBe(404);
    expect(await env.DB.prepare('SELECT name, cycle, state FROM oracle_switches WHERE id = ?').bind(id).first()).toEqual({
      name: 'Papers',
      cycle: 1,
      state: 'armed',
    });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM oracle_recipients WHERE switch_id = ?').bind(id).first<{ n: number }>())!.n).toBe(1);
  });
});
