// Oracle's attachments: sealed in the browser with the message's key (names inside),
// stored in R2 as opaque bytes, served only after dispatch, opened with both shares;
// replaced or deleted ones leave R2 on the cron; limits with their reasons.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { NO_KEY_CARD, openFile, seal, unseal } from '../../public/oracle-crypto.js';
import worker from '../../workers/index';
import { HOUR_MS } from '../../workers/oracle/lifecycle';
import { paths } from '../../workers/oracle/paths';
import { findOwnRecipient, MAX_FILE_BYTES_PER_OWNER, reserveUploads, UPLOAD_GRACE_MS } from '../../workers/oracle/repository';
import { saveMessage } from '../../workers/oracle/service';
import { type Client, signedUp } from '../support/client';

const admin = signedUp();

async function cron(at: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(at), cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function switchWithRecipient(client: Client, name = 'Ann') {
  await client.visit(paths.home);
  const res = await client.fetch(paths.switches, { form: { name: 'Files', interval: '1h', grace: '0h', warnings: '' } });
  const id = /\/oracle\/switches\/([\w-]{22})\?/.exec(res.headers.get('location')!)![1]!;
  await client.visit(paths.switch(id));
  await client.fetch(paths.recipients(id), { form: { name, channel: 'email', target: `${name.toLowerCase()}@example.com` } });
  const r = (await env.DB.prepare('SELECT id, message_id FROM oracle_recipients WHERE switch_id = ?').bind(id).first<{ id: string; message_id: string }>())!;
  return { id, recipient: r };
}

type PlainFile = { name: string; type: string; bytes: Uint8Array };

/** Seals the text and files as the page does and posts them as multipart (what oracle.js sends). */
async function postMessage(
  client: Client,
  switchId: string,
  r: { id: string; message_id: string },
  text: string,
  files: PlainFile[],
  options: { readable?: boolean } = {},
) {
  await client.visit(paths.message(r.id));
  const sealed = await seal(text, switchId, r.message_id, { keyCard: !options.readable, files });
  const body = new FormData();
  body.set('_csrf', client.csrf);
  body.set('iv', sealed.iv);
  body.set('ciphertext', sealed.ciphertext);
  body.set('server_share', sealed.serverShare);
  body.set('length', String([...text].length));
  if (options.readable) body.set('mode', 'server');
  for (const f of sealed.files) {
    body.append('file', new Blob([f.sealed]), 'sealed.bin');
    body.append('file_iv', f.iv);
  }
  // As oracle.js sends it: the CSRF token as a header too (only then may the body be large).
  const res = await client.fetch(paths.message(r.id), { method: 'POST', body, headers: { 'x-csrf-token': client.csrf } });
  return { res, sealed };
}

const randomBytes = (n: number) => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
  return out;
};

const objectKeys = async (messageId: string) => (await env.ORACLE_FILES.list({ prefix: `oracle/${messageId}/` })).objects.map((o) => o.key);

describe('attachments', () => {
  it('are stored sealed in R2, served only after dispatch, and open with both shares (names included)', async () => {
    const owner = await admin;
    const { id, recipient } = await switchWithRecipient(owner);
    const photo = { name: 'deed scan.png', type: 'image/png', bytes: randomBytes(1_200_000) };
    const note = { name: 'wifi.txt', type: 'text/plain', bytes: new TextEncoder().encode('the wifi password is hunter2') };
    const { res, sealed } = await postMessage(owner, id, recipient, 'See the attachments.', [photo, note]);
    expect(res.status, await res.clone().text()).toBe(303);

    const keys = await objectKeys(recipient.message_id);
    expect(keys).toHaveLength(2);
    const stored = new Uint8Array(await (await env.ORACLE_FILES.get(keys.find((k) => k.endsWith('/1'))!))!.arrayBuffer());
    expect(new TextDecoder().decode(stored)).not.toContain('hunter2');
    expect(new TextDecoder().decode(stored)).not.toContain('wifi.txt');
    const rows = await env.DB.prepare('SELECT idx, iv, size FROM oracle_files WHERE message_id = ? ORDER BY idx').bind(recipient.message_id).all();
    expect(rows.results.map((r) => r.idx)).toEqual([0, 1]);
    expect(await (await owner.fetch(paths.switch(id))).text()).toMatch(/Sealed message \(20 characters, 2 attachments of 1\.1 MiB\)/);

    // Before dispatch: the 404 of nothing.
    const stranger = await signedUp();
    expect((await stranger.fetch(paths.file(recipient.message_id, 0))).status).toBe(404);

    const start = (await env.DB.prepare('SELECT checked_in_at FROM oracle_switches WHERE id = ?').bind(id).first<{ checked_in_at: number }>())!.checked_in_at;
    await cron(start + HOUR_MS + 60_000);
    const letter = (await env.DB.prepare("SELECT body FROM oracle_mail WHERE recipient = 'ann@example.com' ORDER BY id DESC").first<{ body: string }>())!;
    expect(letter.body).toContain('It has 2 attachments, opened on the same page.');

    const json = (await (await stranger.fetch(paths.sealed(recipient.message_id))).json()) as {
      switch_id: string;
      iv: string;
      ciphertext: string;
      files: Array<{ index: number; iv: string; size: number; url: string }>;
    };
    expect(json.files.map((f) => f.url)).toEqual([paths.file(recipient.message_id, 0), paths.file(recipient.message_id, 1)]);
    expect(await unseal(json, sealed.serverShare, sealed.recipientShare, json.switch_id, recipient.message_id)).toBe('See the attachments.');
    for (const [index, original] of [photo, note].entries()) {
      const file = await stranger.fetch(json.files[index]!.url);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('application/octet-stream');
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      const bytes = new Uint8Array(await file.arrayBuffer());
      expect(bytes.length).toBe(json.files[index]!.size);
      const opened = await openFile(
        { iv: json.files[index]!.iv, sealed: bytes },
        sealed.serverShare,
        sealed.recipientShare,
        json.switch_id,
        recipient.message_id,
        index,
      );
      expect(opened.name).toBe(original.name);
      expect(opened.type).toBe(original.type);
      expect(opened.bytes).toEqual(original.bytes);
      // In another place, or with the server's share alone, it does not open.
      await expect(
        openFile({ iv: json.files[index]!.iv, sealed: bytes }, sealed.serverShare, sealed.recipientShare, json.switch_id, recipient.message_id, 1 - index),
      ).rejects.toThrow();
      await expect(
        openFile({ iv: json.files[index]!.iv, sealed: bytes }, sealed.serverShare, NO_KEY_CARD, json.switch_id, recipient.message_id, index),
      ).rejects.toThrow();
    }
    expect((await stranger.fetch(paths.file(recipient.message_id, 2))).status).toBe(404);
    expect((await stranger.fetch(`/oracle/open/${recipient.message_id}/files/10`)).status).toBe(404);
  });

  it('a replaced message’s attachments leave R2 at once; a deleted switch’s on the cron (the trigger trashes them)', async () => {
    const owner = await admin;
    const { id, recipient } = await switchWithRecipient(owner, 'Bo');
    await postMessage(owner, id, recipient, 'first', [{ name: 'a', type: '', bytes: randomBytes(1000) }]);
    const first = await objectKeys(recipient.message_id);
    await postMessage(owner, id, recipient, 'second', [{ name: 'b', type: '', bytes: randomBytes(2000) }]);
    const after = await objectKeys(recipient.message_id);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(first[0]);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM oracle_file_trash').first<{ n: number }>())!.n).toBe(0);
    // Deleting the switch deletes the rows by cascade; the trigger still trashes their objects.
    await owner.visit(paths.switch(id));
    const deleted = await owner.fetch(paths.remove(id), { form: { confirm: 'yes' } });
    expect(deleted.status).toBe(303);
    const trashed = await env.DB.prepare('SELECT r2_key, size FROM oracle_file_trash').all<{ r2_key: string; size: number }>();
    expect(trashed.results.map((r) => r.r2_key)).toEqual(after);
    await cron(Date.now());
    expect(await objectKeys(recipient.message_id)).toEqual([]);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM oracle_file_trash').first<{ n: number }>())!.n).toBe(0);
  });

  it('an upload that fails halfway leaves nothing: what went in is deleted, and the rest would be swept after the grace', async () => {
    const owner = await signedUp();
    const { recipient } = await switchWithRecipient(owner, 'Flo');
    const ownerRow = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(owner.email).first<{ id: number }>())!;
    const row = (await findOwnRecipient(env.DB, recipient.id, ownerRow.id))!;
    let puts = 0;
    const flaky = {
      ...env,
      ORACLE_FILES: new Proxy(env.ORACLE_FILES, {
        get(target, prop) {
          if (prop === 'put') {
            return (...args: Parameters<R2Bucket['put']>) => {
              puts++;
              if (puts === 3) return Promise.reject(new Error('We encountered an internal error. Please try again.'));
              return target.put(...args);
            };
          }
          const value = Reflect.get(target, prop);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
    } as Env;
    const files = Array.from({ length: 5 }, (_, i) => new File([randomBytes(100)], `${i}`));
    const result = await saveMessage(
      flaky,
      row,
      ownerRow.id,
      {
        iv: 'AAAAAAAAAAAAAAAA',
        ciphertext: 'A'.repeat(40),
        server_share: 'A'.repeat(43),
        length: 1,
        mode: 'keycard',
        file: files,
        file_iv: files.map(() => 'AAAAAAAAAAAAAAAA'),
      },
      Date.now(),
    );
    expect(result).toMatchObject({ ok: false, reason: 'storage_unavailable' });
    expect(await objectKeys(recipient.message_id)).toEqual([]);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM oracle_file_trash WHERE owner_id = ?').bind(ownerRow.id).first<{ n: number }>())!.n).toBe(0);
    expect(await env.DB.prepare('SELECT 1 FROM oracle_messages WHERE id = ?').bind(recipient.message_id).first()).toBeNull();
    // Had the Worker stopped between R2 and D1, the reservation would remain, due an hour on.
    await reserveUploads(env.DB, { ownerId: ownerRow.id, files: [{ key: `oracle/${recipient.message_id}/cut/0`, iv: 'A', size: 100 }], now: Date.now() });
    await env.ORACLE_FILES.put(`oracle/${recipient.message_id}/cut/0`, new Uint8Array(100));
    await cron(Date.now());
    expect(await objectKeys(recipient.message_id)).toHaveLength(1);
    await cron(Date.now() + UPLOAD_GRACE_MS + 60_000);
    expect(await objectKeys(recipient.message_id)).toEqual([]);
  });

  it('limits: 10 files, 5 MB together, a body cap, and an account’s 25 MiB; a refused save leaves nothing in R2', async () => {
    const owner = await signedUp();
    const { id, recipient } = await switchWithRecipient(owner, 'Cy');
    const tooMany = await postMessage(
      owner,
      id,
      recipient,
      'x',
      Array.from({ length: 11 }, (_, i) => ({ name: `${i}`, type: '', bytes: new Uint8Array(10) })),
    );
    expect(tooMany.res.status).toBe(422);
    expect(await tooMany.res.text()).toContain('at most 10 attachments');
    const tooBig = await postMessage(owner, id, recipient, 'x', [{ name: 'big', type: '', bytes: new Uint8Array(5 * 1024 * 1024 + 2000) }]);
    expect(tooBig.res.status).toBe(422);
    expect(await tooBig.res.text()).toContain('at most 5 MB');
    // Far past the route's limit: 413 before the body is read.
    await owner.visit(paths.message(recipient.id));
    const huge = await owner.fetch(paths.message(recipient.id), {
      method: 'POST',
      body: new Blob([new Uint8Array(7 * 1024 * 1024)]),
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'x-csrf-token': owner.csrf },
    });
    expect(huge.status).toBe(413);
    // Without the header (a plain form, or a stranger's multipart bomb), the app's usual 96 KiB.
    const plain = new FormData();
    plain.set('_csrf', owner.csrf);
    plain.append('file', new Blob([new Uint8Array(200 * 1024)]), 'x.bin');
    const bomb = await owner.fetch(paths.message(recipient.id), { method: 'POST', body: plain });
    expect(bomb.status).toBe(413);
    // Other routes keep the small limit.
    const elsewhere = await owner.fetch(paths.switches, {
      method: 'POST',
      body: new Blob([new Uint8Array(200 * 1024)]),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(elsewhere.status).toBe(413);
    expect(await objectKeys(recipient.message_id)).toEqual([]);

    // The account's attachments together: fill most of the 25 MiB, then one more does not fit.
    const s2 = await switchWithRecipient(owner, 'Di');
    const fill = Math.floor((MAX_FILE_BYTES_PER_OWNER - 4 * 1024 * 1024) / (5 * 1024 * 1024));
    for (let i = 0; i < fill; i++) {
      const target = await switchWithRecipient(owner, `F${i}`);
      const saved = await postMessage(owner, target.id, target.recipient, 'fill', [{ name: 'f', type: '', bytes: new Uint8Array(5 * 1024 * 1024) }]);
      expect(saved.res.status).toBe(303);
    }
    const over = await postMessage(owner, s2.id, s2.recipient, 'over', [{ name: 'g', type: '', bytes: new Uint8Array(5 * 1024 * 1024) }]);
    expect(over.res.status).toBe(409);
    expect(await over.res.text()).toContain('their attachments 25 MiB');
    expect(await objectKeys(s2.recipient.message_id)).toEqual([]);
  });

  it('a message readable by the server links its attachments with the server’s share alone', async () => {
    const owner = await admin;
    const { id, recipient } = await switchWithRecipient(owner, 'Ed');
    const { res } = await postMessage(
      owner,
      id,
      recipient,
      'Plain text.',
      [{ name: 'map.txt', type: 'text/plain', bytes: new TextEncoder().encode('X marks') }],
      {
        readable: true,
      },
    );
    expect(res.status).toBe(303);
    const start = (await env.DB.prepare('SELECT checked_in_at FROM oracle_switches WHERE id = ?').bind(id).first<{ checked_in_at: number }>())!.checked_in_at;
    await cron(start + HOUR_MS + 60_000);
    const letter = (await env.DB.prepare("SELECT body FROM oracle_mail WHERE recipient = 'ed@example.com'").first<{ body: string }>())!;
    expect(letter.body).toContain('Plain text.');
    const link = new URL(/open it here: (\S+)/.exec(letter.body)![1]!);
    const fragment = new URLSearchParams(link.hash.slice(1));
    expect(fragment.get('k')).toBe(NO_KEY_CARD);
    const json = (await (await owner.fetch(paths.sealed(recipient.message_id))).json()) as { switch_id: string; files: Array<{ iv: string; url: string }> };
    const bytes = new Uint8Array(await (await owner.fetch(json.files[0]!.url)).arrayBuffer());
    const opened = await openFile({ iv: json.files[0]!.iv, sealed: bytes }, fragment.get('s')!, NO_KEY_CARD, json.switch_id, recipient.message_id, 0);
    expect(new TextDecoder().decode(opened.bytes)).toBe('X marks');
  });
});
