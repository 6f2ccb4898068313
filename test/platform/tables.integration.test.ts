// Tables on a phone stack their cells; each cell must still say which column it is
// (data-label, shown by CSS ::before). The users page answers a change in the row
// itself: "Saved" in a slot reserved for it, or why not, without growing the row.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createToken, signedIn, signedUp } from '../support/client';

/** Every body cell of every .table: its data-label is its column's header. */
function expectLabelledCells(html: string, label: string): number {
  let cells = 0;
  for (const table of html.matchAll(/<table class="table"[^>]*>([\s\S]*?)<\/table>/g)) {
    const headers = [.../<thead>([\s\S]*?)<\/thead>/.exec(table[1]!)![1]!.matchAll(/<th>([\s\S]*?)<\/th>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table[1]!)![1]!;
    for (const row of body.matchAll(/<tr\b[\s\S]*?<\/tr>/g)) {
      const tds = [...row[0].matchAll(/<td\b([^>]*)>/g)].map((m) => m[1]!);
      expect(tds.length, label).toBe(headers.length);
      tds.forEach((attrs, i) => {
        if (/class="actions"/.test(attrs)) return; // a buttons-only cell under a visually hidden "Actions"
        expect(/data-label="([^"]*)"/.exec(attrs)?.[1], `${label}: column ${headers[i]}`).toBe(headers[i]);
        cells++;
      });
    }
  }
  return cells;
}

describe('stacked tables keep their column labels', () => {
  it('on the account page (sessions, tokens, security activity) and the users page', async () => {
    const admin = await signedUp(); // first account of this file: admin
    await signedIn(admin.email);
    await createToken(admin, ['account:read']);
    const account = await (await admin.fetch('/account')).text();
    expect(expectLabelledCells(account, 'account')).toBeGreaterThanOrEqual(10);
    await signedUp();
    const users = await (await admin.fetch('/admin/users')).text();
    expect(expectLabelledCells(users, 'users')).toBeGreaterThanOrEqual(10);
  });
});

describe('the users page confirms each change in its row', () => {
  it('a role change shows “Saved” in the row’s reserved slot (htmx and plain form)', async () => {
    const adminRow = await env.DB.prepare("SELECT email FROM users WHERE role = 'admin' LIMIT 1").first<{ email: string }>();
    const admin = await signedIn(adminRow!.email);
    const member = await signedUp();
    const id = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(member.email).first<{ id: number }>())!.id;
    await admin.visit('/admin/users');

    const res = await admin.fetch(`/admin/users/${id}/role`, { form: { role: 'agent' }, htmx: true });
    expect(res.status).toBe(200);
    const row = await res.text();
    expect(row).toMatch(new RegExp(`<span class="row-status saved" id="role-status-${id}" role="status">✓ Saved</span>`));
    expect(row).toContain(`aria-describedby="role-status-${id}"`);

    const plain = await admin.fetch(`/admin/users/${id}/role`, { form: { role: 'member' } });
    expect(plain.status).toBe(303);
    expect(plain.headers.get('location')).toBe(`/admin/users?saved=${id}`);
    const page = await (await admin.fetch(plain.headers.get('location')!)).text();
    const saved = [...page.matchAll(/<tr id="user-(\d+)"[\s\S]*?<\/tr>/g)].filter((m) => m[0].includes('✓ Saved')).map((m) => Number(m[1]));
    expect(saved).toEqual([id]);
  });

  it('an error says why in the same slot, without adding to the row’s first cell', async () => {
    const adminRow = await env.DB.prepare("SELECT id, email FROM users WHERE role = 'admin' LIMIT 1").first<{ id: number; email: string }>();
    const admin = await signedIn(adminRow!.email);
    await admin.visit('/admin/users');
    const res = await admin.fetch(`/admin/users/${adminRow!.id}/role`, { form: { role: 'member' }, htmx: true });
    expect(res.status).toBe(409);
    const row = await res.text();
    expect(row).toMatch(
      /<span class="row-status failed" id="role-status-\d+" role="alert">Not saved<span class="row-status-detail">This is the last active admin/,
    );
    const firstCell = /<td data-label="User">([\s\S]*?)<\/td>/.exec(row)![1]!;
    expect(firstCell).not.toContain('last active admin');
  });
});
