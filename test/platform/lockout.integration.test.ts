// Sign-in throttling that an attacker cannot turn against the owner (OWASP "device
// cookies"): failed passwords for an account lock it for browsers it has never
// been used from, but a browser the owner signed in from before carries a signed
// device cookie and answers only to its own limit. Successful sign-ins never count.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { COOKIES } from '../../shared/http/request';

const DEVICE_COOKIE = COOKIES.device;
import { Client, PASSWORD, signedUp } from '../support/client';

/** A sign-in attempt from a new address (attackers rotate addresses; the per-address limit is separate). */
async function attempt(email: string, password: string, client = new Client()): Promise<Response> {
  await client.visit('/signin');
  return client.fetch('/signin', { form: { email, password } });
}

/** Wrong passwords from many addresses until the account answers 429 (at most `max`). */
async function lockOut(email: string, max = 20): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < max && statuses.at(-1) !== 429; i++) statuses.push((await attempt(email, `wrong guess ${i}`)).status);
  return statuses;
}

describe('per-account lockout', () => {
  it('nine wrong passwords do not lock the owner out of a browser they used before', async () => {
    const owner = await signedUp(); // signing up is a successful sign-in: this browser is known
    expect(owner.cookies.has(DEVICE_COOKIE)).toBe(true);
    await owner.fetch('/signout', { form: {} });

    const statuses = await lockOut(owner.email);
    expect(statuses.at(-1), statuses.join()).toBe(429); // the account is locked for unknown browsers…
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(9);
    const stranger = await attempt(owner.email, PASSWORD);
    expect(stranger.status).toBe(429);
    expect(stranger.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await stranger.text()).toContain('a device you have signed in from before');

    // …but the owner's own browser, from another address, still gets in.
    const back = await owner.fetch('/signin', { form: { email: owner.email, password: PASSWORD } });
    expect(back.status).toBe(303);
    expect((await owner.fetch('/api/me')).status).toBe(200);
  });

  it('successful sign-ins never count toward the limit', async () => {
    const user = await signedUp();
    for (let i = 0; i < 15; i++) expect((await attempt(user.email, PASSWORD)).status, `sign-in ${i + 1}`).toBe(303);
  });

  it('a device cookie for another account, or a forged one, does not bypass the lock', async () => {
    const victim = await signedUp();
    const other = await signedUp();
    expect((await lockOut(victim.email)).at(-1)).toBe(429);

    const otherDevice = other.cookies.get(DEVICE_COOKIE)!;
    const withOthers = new Client();
    withOthers.cookies.set(DEVICE_COOKIE, otherDevice);
    expect((await attempt(victim.email, PASSWORD, withOthers)).status).toBe(429);

    const victimId = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(victim.email).first<{ id: number }>())!.id;
    const [, , device, sig] = otherDevice.split('.');
    for (const forged of [`v1.${victimId}.${device}.${sig}`, `v1.${victimId}.${device}.AAAA`, `v1.${victimId}.x.y`, 'garbage', 'v1...']) {
      const forger = new Client();
      forger.cookies.set(DEVICE_COOKIE, forged);
      expect((await attempt(victim.email, PASSWORD, forger)).status, forged).toBe(429);
    }
  });

  it('a known browser has its own limit: its failures lock only itself', async () => {
    const owner = await signedUp();
    await owner.fetch('/signout', { form: {} });
    const statuses: number[] = [];
    for (let i = 0; i < 20 && statuses.at(-1) !== 429; i++) {
      statuses.push(
        (await owner.fetch('/signin', { form: { email: owner.email, password: `typo ${i}` }, headers: { 'cf-connecting-ip': `203.0.113.${i}` } })).status,
      );
    }
    expect(statuses.at(-1)).toBe(429);
    // The account itself is not locked for the owner's other browsers.
    expect((await attempt(owner.email, PASSWORD)).status).toBe(303);
  });
});
