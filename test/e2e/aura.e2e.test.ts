// Aura in Chromium: a presenter's room with JavaScript (the htmx WebSocket extension
// swaps every frame in; the forms go over the socket), a second viewer on a phone in
// the dark, every display mode, the fake microphone through the AudioWorklet, the same
// room without JavaScript (plain posts and a still picture, desktop and phone), and an
// axe audit of Aura's pages. It walks Aura's unsafe routes for coverage.e2e.test.ts:
// POST /aura, /update and /end with and without JavaScript, /control without (with
// JavaScript those forms go over the socket). Its own `wrangler dev` (fresh D1).
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { axeViolations } from './a11y';
import { launch, openPage, PASSWORD, shot, SHOTS, useBrowser, useDevServer } from './browser';

const browser = useBrowser();
const server = useDevServer();

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;
type Walker = { context: BrowserContext; page: Page; problems: string[] };

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, colorScheme: 'light' };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const MODES = ['bars', 'led', 'line', 'radial', 'spectrogram'] as const;
/** Chromium's fake capture devices, allowed without a prompt: the microphone beeps near 400 Hz. */
const FAKE_MEDIA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

async function open(b: Browser, options: BrowserContextOptions = {}): Promise<Walker> {
  const context = await b.newContext({ baseURL: server.url, ...DESKTOP, ...options });
  const { page, problems } = await openPage(context);
  const sockets: string[] = [];
  socketLog.set(page, sockets);
  page.on('websocket', (ws) => {
    const at = () => `${new URL(ws.url()).pathname} at ${new Date().toISOString().slice(11, 23)}`;
    sockets.push(`started ${at()}`);
    ws.on('socketerror', (message) => sockets.push(`error "${message}" ${at()}`));
    ws.on('close', () => sockets.push(`closed ${at()}`));
  });
  return { context, page, problems };
}

async function signUp(page: Page, email: string): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${server.url}/`);
}

/** Makes a room from /aura through its form; returns the room's address. */
async function createRoom(page: Page, title: string): Promise<string> {
  await page.goto('/aura');
  await page.getByLabel('Title (optional)').fill(title);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.waitForURL(/\/aura\/r\/[\w-]{22}$/);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
  return page.url();
}

/** Clicks a plain form's button and waits for the page it lands on (the same address, often: a 303 back). */
async function submit(page: Page, button: string): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name: button, exact: true }).click();
  await loaded;
}

/** What each page's sockets did (started, failed, closed), for the message when one never goes live. */
const socketLog = new WeakMap<Page, string[]>();

/**
 * The page's WebSocket is open: aura.js writes "live" when htmx's hx-ws extension has connected.
 * 30 s: if the first attempts fail (a busy machine), htmx retries after 0.5, 1, 2, 4, 8 s (± 30 %),
 * so a fifth attempt can come after 15 s. A page that never connects says what it saw.
 */
async function live(page: Page): Promise<void> {
  try {
    await page.locator('#aura-connection', { hasText: /^live$/ }).waitFor({ timeout: 30_000 });
  } catch (error) {
    const text = async (selector: string) =>
      (await page
        .locator(selector)
        .textContent({ timeout: 1_000 })
        .catch(() => null)) ?? '(none)';
    const sockets = (socketLog.get(page) ?? []).join('; ') || 'no socket was opened';
    throw new Error(
      `${page.url()} never went live: the line says "${await text('#aura-connection')}", the status "${await text('#aura-status')}"; sockets: ${sockets}`,
      { cause: error },
    );
  }
}
const screen = (page: Page) => page.locator('#aura-screen svg');
const ariaLabel = async (page: Page) => (await screen(page).getAttribute('aria-label')) ?? '';
const svgClass = async (page: Page) => (await screen(page).getAttribute('class')) ?? '';

/** The loudest band's centre in Hz from "… loudest band 1 kHz at −6 dBFS", or null (silent, waiting). */
function loudestHz(label: string): number | null {
  const m = /loudest band ([\d.]+) (k?)Hz/.exec(label);
  return m ? Number(m[1]) * (m[2] ? 1000 : 1) : null;
}

/** Polls the live picture until its loudest band is within [lo, hi] Hz; returns that aria-label. */
async function waitLoudest(page: Page, lo: number, hi: number, timeout = 10_000): Promise<string> {
  let last = '';
  await expect
    .poll(
      async () => {
        last = await ariaLabel(page);
        const hz = loudestHz(last);
        return hz !== null && hz >= lo && hz <= hi;
      },
      { timeout, interval: 100, message: `loudest band between ${lo} and ${hi} Hz` },
    )
    .toBe(true);
  return last;
}

/** One frame of bars, read at once (frames are swapped in ≈ 30 times a second). */
type BarsReading = { label: string; tallestX: number; tallest: number; second: number; width: number; oneK: number | null };
const readBars = (page: Page) =>
  screen(page).evaluate((svg): BarsReading => {
    const bars = svg.querySelector('path.aura-bar');
    // Bars are vertical strokes `M x bottom V top`, all in one path, as wide as its stroke.
    const segments = [...(bars?.getAttribute('d') ?? '').matchAll(/M\s*([\d.]+)[\s,]+([\d.]+)\s*V\s*([\d.]+)/g)]
      .map((m) => ({ x: Number(m[1]), h: Number(m[2]) - Number(m[3]) }))
      .sort((a, b) => b.h - a.h);
    const oneK = [...svg.querySelectorAll('g.aura-freq text')].find((t) => t.textContent === '1k');
    return {
      label: svg.getAttribute('aria-label') ?? '',
      tallestX: segments[0]?.x ?? Number.NaN,
      tallest: segments[0]?.h ?? 0,
      second: segments[1]?.h ?? 0,
      width: Number(bars?.getAttribute('stroke-width')),
      oneK: oneK ? Number(oneK.getAttribute('x')) : null,
    };
  });

/** The level in "… at −6 dBFS" (−∞ when there is none). */
const levelOf = (label: string) => Number(/at (−?[\d.]+) dBFS/.exec(label)?.[1]?.replace('−', '-') ?? Number.NEGATIVE_INFINITY);

let owner: StorageState | undefined;
let guest: StorageState | undefined;

beforeAll(async () => {
  // One account for the rooms of the JavaScript walk, the axe audit and the microphone;
  // another, signed in, for a room open to presenters.
  for (const email of ['aura-owner@example.com', 'aura-guest@example.com']) {
    const me = await open(browser());
    await signUp(me.page, email);
    if (email.startsWith('aura-owner')) owner = await me.context.storageState();
    else guest = await me.context.storageState();
    await me.context.close();
  }
}, 60_000);

it('with JavaScript: a 1 kHz sine peaks at 1k; the room’s mode reaches a phone viewer; "Show me" changes only that viewer; ending the room tells the viewer', async () => {
  const presenter = await open(browser(), { storageState: owner });
  const { page } = presenter;
  const room = await createRoom(page, 'Sine check');
  await live(page);
  expect(await page.locator('#aura-source').textContent()).toBe('Nothing is playing.');
  // The room sends the count at most every 250 ms (debounced), so it may come just after "live".
  await expect.poll(() => page.locator('#aura-viewers').textContent()).toBe('0 watching, 1 presenting');

  // Play sine (1000 Hz by default): the form goes over the socket, the page stays.
  expect(await page.getByLabel('Sine (Hz)').inputValue()).toBe('1000');
  await page.getByRole('button', { name: 'Play sine' }).click();
  await page.locator('#aura-source', { hasText: 'Test signal: 1 kHz sine.' }).waitFor();
  expect(page.url()).toBe(room);
  await waitLoudest(page, 800, 1250);
  // Once the level has risen (attack), the tallest bar stands under the "1k" label (the
  // label's x within the bar's stroke) and stands out; all read from one frame.
  let reading: BarsReading | undefined;
  await expect
    .poll(
      async () => {
        reading = await readBars(page);
        const hz = loudestHz(reading.label);
        return hz !== null && hz >= 800 && hz <= 1250 && levelOf(reading.label) > -20 && reading.tallest > reading.second;
      },
      { timeout: 5_000, interval: 100 },
    )
    .toBe(true);
  expect(reading!.oneK, JSON.stringify(reading)).not.toBeNull();
  expect(Math.abs(reading!.tallestX - reading!.oneK!), JSON.stringify(reading)).toBeLessThanOrEqual(reading!.width / 2);
  expect(await svgClass(page)).toBe('aura aura-bars');
  await shot(page, 'aura-01-sine-1k');

  // The room's mode: radial, sent on change. The presenter's picture follows…
  await page.getByLabel('Mode', { exact: true }).selectOption('radial');
  await expect.poll(() => svgClass(page)).toBe('aura aura-radial');

  // …and so does an anonymous viewer's, on a phone in the dark, opened on the same link.
  const viewer = await open(browser(), { ...PHONE, colorScheme: 'dark' });
  await viewer.page.goto(room);
  await live(viewer.page);
  expect(await viewer.page.getByRole('button', { name: 'Play sine' }).count()).toBe(0);
  expect(await viewer.page.getByText('You are watching.').count()).toBe(1);
  await expect.poll(() => svgClass(viewer.page)).toBe('aura aura-radial');
  await page.locator('#aura-viewers', { hasText: '1 watching, 1 presenting' }).waitFor();
  await viewer.page.locator('#aura-viewers', { hasText: '1 watching, 1 presenting' }).waitFor();
  // The same picture: the same loudest band, the level within a decibel.
  await expect
    .poll(async () => {
      const [mine, theirs] = [await ariaLabel(page), await ariaLabel(viewer.page)];
      const band = (l: string) => /loudest band [\d.]+ k?Hz/.exec(l)?.[0];
      return band(mine) !== undefined && band(mine) === band(theirs) && Math.abs(levelOf(mine) - levelOf(theirs)) <= 1;
    })
    .toBe(true);
  expect(await ariaLabel(viewer.page)).toMatch(/^Spectrum, loudest band 1 kHz at /);
  expect(await viewer.page.locator('#aura-source').textContent()).toBe('Test signal: 1 kHz sine.');
  await shot(page, 'aura-02-radial-presenter');
  await shot(viewer.page, 'aura-03-radial-viewer-phone-dark');
  // The phone's page fits its width (nothing scrolls sideways).
  expect(await viewer.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

  // "Show me" (the viewer's own mode): only the viewer's picture changes.
  await viewer.page.getByLabel('Show me').selectOption('spectrogram');
  await expect.poll(() => svgClass(viewer.page)).toBe('aura aura-spectrogram');
  await expect.poll(() => ariaLabel(viewer.page)).toMatch(/^Spectrogram of the last \d+ frames, now loudest band 1 kHz/);
  await page.waitForTimeout(1000);
  expect(await svgClass(page)).toBe('aura aura-radial');
  expect(await page.getByLabel('Show me').inputValue()).toBe('room');
  // The room's mode changes again: the viewer keeps their own.
  await page.getByLabel('Mode', { exact: true }).selectOption('bars');
  await expect.poll(() => svgClass(page)).toBe('aura aura-bars');
  await viewer.page.waitForTimeout(500);
  expect(await svgClass(viewer.page)).toBe('aura aura-spectrogram');
  await shot(viewer.page, 'aura-04-viewer-own-spectrogram-phone-dark');

  // The owner ends the room (a plain post from a page whose scripts run).
  await submit(page, 'End the room');
  expect(page.url()).toBe(`${server.url}/aura`);
  await page.getByText(/^Ended rooms \(\d+\)$/).click();
  await page.locator('details li', { hasText: 'Sine check' }).waitFor();
  // The viewer is told, and stays disconnected (code 1000: htmx does not reconnect).
  await viewer.page.locator('#aura-status', { hasText: 'The room has ended.' }).waitFor();
  await viewer.page.locator('#aura-connection', { hasText: 'disconnected' }).waitFor();
  await shot(viewer.page, 'aura-05-viewer-room-ended-phone-dark');
  const gone = await viewer.page.goto(room);
  expect(gone?.status()).toBe(410);
  await viewer.page.getByText('This room has ended.').waitFor();

  expect(presenter.problems, presenter.problems.join('\n')).toEqual([]);
  expect(viewer.problems, viewer.problems.join('\n')).toEqual([]);
  await presenter.context.close();
  await viewer.context.close();
});

it('the owner panel with JavaScript on (plain posts): retitle, open to presenters, end', async () => {
  const me = await open(browser(), { storageState: owner });
  const { page } = me;
  const room = await createRoom(page, 'Owner panel');
  await page.getByLabel('Title', { exact: true }).fill('Renamed room');
  await page.getByRole('checkbox', { name: /Open to presenters/ }).check();
  await submit(page, 'Save');
  expect(page.url()).toBe(room);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Renamed room');
  expect(await page.getByRole('checkbox', { name: /Open to presenters/ }).isChecked()).toBe(true);
  // Another signed-in user now presents (the source and settings forms), but does not own the room.
  const other = await open(browser(), { storageState: guest });
  await other.page.goto(room);
  await other.page.getByRole('button', { name: 'Play sine' }).waitFor();
  expect(await other.page.getByRole('heading', { name: 'Your room' }).count()).toBe(0);
  expect(await other.page.getByText('You are watching.').count()).toBe(0);
  await submit(page, 'End the room');
  expect(page.url()).toBe(`${server.url}/aura`);
  await page.getByText(/^Ended rooms \(\d+\)$/).click();
  await page.locator('details li', { hasText: 'Renamed room' }).waitFor();
  expect(me.problems, me.problems.join('\n')).toEqual([]);
  expect(other.problems, other.problems.join('\n')).toEqual([]);
  await me.context.close();
  await other.context.close();
});

it('every display mode, with pink noise (screenshots test-results/e2e/aura-<mode>.png)', async () => {
  const presenter = await open(browser(), { storageState: owner });
  const { page } = presenter;
  await createRoom(page, 'Pink noise');
  await live(page);
  await page.getByRole('button', { name: 'Play pink noise' }).click();
  await page.locator('#aura-source', { hasText: 'Test signal: pink noise.' }).waitFor();
  await expect.poll(() => ariaLabel(page)).toMatch(/loudest band/);
  for (const mode of MODES) {
    await page.getByLabel('Mode', { exact: true }).selectOption(mode);
    await expect.poll(() => svgClass(page)).toBe(`aura aura-${mode}`);
    // The spectrogram's history fills at ≈ 10 columns a second (48 columns); the others need a few frames.
    await page.waitForTimeout(mode === 'spectrogram' ? 5_000 : 1_000);
    expect(await screen(page).locator('path').count(), mode).toBeGreaterThan(0);
    await shot(page, `aura-${mode}`);
    await page.locator('.aura-screen-frame').screenshot({ path: `${SHOTS}/aura-${mode}-picture.png` });
  }
  // The spectrogram of the log sweep (20 Hz to 20 kHz in 10 s): a rising line, for the README.
  await page.getByRole('button', { name: 'Play log sweep' }).click();
  await page.locator('#aura-source', { hasText: 'Test signal: log sweep' }).waitFor();
  await page.waitForTimeout(5_000);
  await page.locator('.aura-screen-frame').screenshot({ path: `${SHOTS}/aura-spectrogram-sweep-picture.png` });
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.locator('#aura-source', { hasText: 'Nothing is playing.' }).waitFor();
  expect(presenter.problems, presenter.problems.join('\n')).toEqual([]);
  await presenter.context.close();
});

it('the room connects even when the WebSocket extension loads after htmx has started (a slow network)', async () => {
  // hx-ws.min.js is a module script and htmx processes the page from a setTimeout once
  // it has run: on a slow network the extension can register after that, and nothing
  // then opens the room's socket. Held back here by 500 ms to make that order certain.
  const { context, page, problems } = await open(browser(), { storageState: owner });
  const room = await createRoom(page, 'Slow extension');
  await live(page);
  const viewer = await open(browser(), { ...PHONE });
  await viewer.page.route('**/vendor/hx-ws.min.js*', async (route) => {
    const response = await route.fetch();
    await new Promise((r) => setTimeout(r, 500));
    await route.fulfill({ response });
  });
  await viewer.page.goto(room);
  await live(viewer.page);
  expect(problems, problems.join('\n')).toEqual([]);
  expect(viewer.problems, viewer.problems.join('\n')).toEqual([]);
  await context.close();
  await viewer.context.close();
});

it('the microphone (Chromium’s fake device, a beep near 400 Hz) streams to the room; "Stop live audio" stops it', async () => {
  const fake = await launch({ args: FAKE_MEDIA });
  try {
    const presenter = await open(fake, { storageState: owner, permissions: ['microphone'] });
    const { page } = presenter;
    await createRoom(page, 'Microphone');
    await live(page);
    const mic = page.getByRole('button', { name: 'Use my microphone' });
    await mic.waitFor(); // shown by aura.js when the browser has the audio APIs
    await mic.click();
    await page.locator('#aura-live-status', { hasText: 'Your microphone is live in this room.' }).waitFor();
    // Chromium's fake device reports two channels: the room shows what the browser sends.
    await page.locator('#aura-source', { hasText: /^Live audio: [\d.]+ kHz, (mono|stereo)\.$/ }).waitFor();
    await waitLoudest(page, 300, 500, 10_000);
    await shot(page, 'aura-06-microphone');
    const stop = page.getByRole('button', { name: 'Stop live audio' });
    await stop.click();
    await page.locator('#aura-source', { hasText: 'Nothing is playing.' }).waitFor();
    expect(await stop.isHidden()).toBe(true);
    expect(presenter.problems, presenter.problems.join('\n')).toEqual([]);
    await presenter.context.close();
  } finally {
    await fake.close();
  }
});

for (const [device, options] of [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const) {
  it(`without JavaScript (${device}): create, play a 440 Hz sine, apply a mode, "Show me", lock, unlock, end`, async () => {
    const me = await open(browser(), { ...options, javaScriptEnabled: false });
    const { page } = me;
    await signUp(page, `aura-nojs-${device}@example.com`);
    const title = `No JavaScript on a ${device}`;
    const room = await createRoom(page, title);
    const path = new URL(room).pathname;
    expect(await page.locator('#aura-connection').textContent()).toBe('still picture');
    expect(await page.getByRole('button', { name: 'Use my microphone' }).isVisible()).toBe(false);

    // Play sine at 440 Hz: posted, redirected back, a still picture computed by the room.
    await page.getByLabel('Sine (Hz)').fill('440');
    await submit(page, 'Play sine');
    await page.locator('#aura-source', { hasText: 'Test signal: 440 Hz sine.' }).waitFor();
    expect(page.url()).toBe(room);
    const label = await ariaLabel(page);
    const hz = loudestHz(label);
    expect(hz, label).not.toBeNull();
    expect(hz!, label).toBeGreaterThanOrEqual(350);
    expect(hz!, label).toBeLessThanOrEqual(550);
    await shot(page, `aura-07-nojs-${device}-sine-440`);

    // A setting with Apply: LED meter.
    await page.getByLabel('Mode', { exact: true }).selectOption('led');
    await submit(page, 'Apply');
    await page.locator('#aura-screen svg.aura-led').waitFor();
    expect(page.url()).toBe(room);
    expect(await page.getByLabel('Mode', { exact: true }).inputValue()).toBe('led');
    await shot(page, `aura-08-nojs-${device}-led`);

    // "Show me" + Show: this page only (?mode=radial); the room keeps LED.
    await page.getByLabel('Show me').selectOption('radial');
    await submit(page, 'Show');
    expect(page.url()).toMatch(/[?&]mode=radial/);
    expect(await svgClass(page)).toBe('aura aura-radial');
    expect(await page.getByLabel('Show me').inputValue()).toBe('radial');
    await shot(page, `aura-09-nojs-${device}-show-radial`);
    await page.goto(path);
    expect(await svgClass(page)).toBe('aura aura-led');

    // Stop: the still picture waits for audio.
    await submit(page, 'Stop');
    await page.locator('#aura-source', { hasText: 'Nothing is playing.' }).waitFor();
    expect(await ariaLabel(page)).toBe('Spectrum, waiting for audio');

    // Lock: an anonymous reader without JavaScript is refused; the owner is not.
    await page.getByRole('checkbox', { name: /Locked/ }).check();
    await submit(page, 'Save');
    expect(page.url()).toBe(room);
    expect(await page.getByRole('checkbox', { name: /Locked/ }).isChecked()).toBe(true);
    const stranger = await open(browser(), { ...options, javaScriptEnabled: false });
    const refused = await stranger.page.goto(path);
    expect(refused?.status()).toBe(403);
    await stranger.page.getByText('This room is locked').waitFor();
    await shot(stranger.page, `aura-10-nojs-${device}-locked`);
    // Unlock: the stranger gets in, as a viewer.
    await page.getByRole('checkbox', { name: /Locked/ }).uncheck();
    await submit(page, 'Save');
    expect(page.url()).toBe(room);
    expect(await page.getByRole('checkbox', { name: /Locked/ }).isChecked()).toBe(false);
    expect((await stranger.page.goto(path))?.status()).toBe(200);
    await stranger.page.getByText('You are watching.').waitFor();
    expect(await stranger.page.getByRole('button', { name: 'Play sine' }).count()).toBe(0);
    expect(await svgClass(stranger.page)).toBe('aura aura-led');

    // End the room: back on /aura, listed under "Ended rooms"; the link says it has ended.
    await submit(page, 'End the room');
    expect(page.url()).toBe(`${server.url}/aura`);
    await page.getByText('Ended rooms (1)').click();
    await page.locator('details li', { hasText: title }).waitFor();
    expect(await page.getByRole('link', { name: title }).count()).toBe(0);
    await shot(page, `aura-11-nojs-${device}-ended`);
    const ended = await stranger.page.goto(path);
    expect(ended?.status()).toBe(410);
    await stranger.page.getByText('This room has ended.').waitFor();

    expect(me.problems, me.problems.join('\n')).toEqual([]);
    expect(stranger.problems, stranger.problems.join('\n')).toEqual([]);
    await me.context.close();
    await stranger.context.close();
  });
}

it('axe: /aura and a room page (presenter and viewer), desktop and phone, light and dark', async () => {
  // A room with something playing, so the audit sees a drawn picture (set up without
  // JavaScript: the audit does not depend on the page's socket).
  const setup = await open(browser(), { storageState: owner, javaScriptEnabled: false });
  const room = new URL(await createRoom(setup.page, 'Audit')).pathname;
  await submit(setup.page, 'Play C major chord');
  await setup.page.locator('#aura-source', { hasText: 'chord' }).waitFor();

  const PAGES: Array<[string, StorageState | undefined, string]> = [
    ['/aura, signed in', owner, '/aura'],
    ['/aura, anonymous', undefined, '/aura'],
    ['room, presenter', owner, room],
    ['room, viewer', undefined, room],
  ];
  const VARIANTS: Array<[string, BrowserContextOptions]> = [
    ['desktop light', { ...DESKTOP, colorScheme: 'light' }],
    ['desktop dark', { ...DESKTOP, colorScheme: 'dark' }],
    ['phone light', { ...PHONE, colorScheme: 'light' }],
    ['phone dark', { ...PHONE, colorScheme: 'dark' }],
  ];
  const found: string[] = [];
  for (const [name, storageState, path] of PAGES) {
    // First with the CSP on: no console error (a CSP violation, a script error). The
    // connection itself is the other tests' business: here the page settles a second.
    const plain = await open(browser(), { storageState });
    await plain.page.goto(path);
    await plain.page.waitForTimeout(1_000);
    await plain.context.close();
    expect(plain.problems, `${name}:\n${plain.problems.join('\n')}`).toEqual([]);

    for (const [variant, options] of VARIANTS) {
      // bypassCSP: axe is injected as an inline script (see a11y.ts).
      const { context, page } = await open(browser(), { bypassCSP: true, storageState, ...options });
      await page.goto(path);
      // The picture the page loaded with is already drawn (the room renders it); frames may be swapping in.
      if (path === room) expect(await ariaLabel(page)).toMatch(/loudest band/);
      for (const line of await axeViolations(page)) found.push(`${variant} ${name}: ${line}`);
      await context.close();
    }
  }
  expect(found, `axe violations:\n${found.join('\n')}`).toEqual([]);
  expect(setup.problems, setup.problems.join('\n')).toEqual([]);
  await setup.context.close();
}, 120_000);
