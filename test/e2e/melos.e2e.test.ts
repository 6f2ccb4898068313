// Melos in Chromium, as its users drive it: on a desktop (light) with JavaScript, the
// editor's sliders and selects redraw the piano roll, the structural buttons (add,
// move, remove a track or a lane, re-roll) swap the editor, Preview plays a WAV, Save,
// Render (the card polls its progress into download links), the MIDI and WAV download,
// share, remix as someone else, duplicate, delete; on a phone (dark) without
// JavaScript, every one of those forms as a plain post. A render that fails shows why
// and offers "Try again" (the seed makes renders titled "Doomed render" fail: a
// trigger empties their recipe). An axe audit of each Melos page, four ways.
// Screenshots in test-results/e2e/melos-*.png. Its own `wrangler dev` (fresh D1, R2, queue).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { auditVariants, PHONE_DARK } from './a11y';
import { openWalker, shot, signedUpState, type StorageState, submit, useBrowser, useDevServer } from './browser';

const browser = useBrowser();

/** Renders of a recipe titled "Doomed render" fail at once: their stored recipe is emptied, which the job refuses for good. */
function seedFile(): string {
  const sql = `
    CREATE TRIGGER e2e_doomed_render AFTER INSERT ON melos_renders WHEN NEW.title = 'Doomed render'
    BEGIN UPDATE melos_renders SET recipe = '{}' WHERE id = NEW.id; END;
    SELECT 1 AS ok;`;
  const file = join(mkdtempSync(join(tmpdir(), 'melos-e2e-')), 'seed.sql');
  writeFileSync(file, sql);
  return file;
}

const server = useDevServer({ seed: seedFile() });

let owner: StorageState;
let friend: StorageState;

const open = (b: Browser, options: BrowserContextOptions = {}) => openWalker(b, server, options);

const signUp = (email: string) => signedUpState(browser(), server, email);

beforeAll(async () => {
  owner = await signUp('composer@example.com');
  friend = await signUp('friend@example.com');
}, 60_000);

const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);
const rollSvg = (page: Page) => page.locator('#melos-roll svg');
const rollLabel = async (page: Page) => (await rollSvg(page).getAttribute('aria-label')) ?? '';

/** Runs axe on `path` in each variant; returns the violations, one line each. */
const audit = (path: string, state: StorageState | undefined) => auditVariants(browser(), server.url, path, state);

/** The file a download link gives: its suggested name and bytes. */
async function download(page: Page, link: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: new RegExp(`^${link}`) }).click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

it('with JavaScript on a desktop: sliders redraw the piano roll, the editor’s buttons swap it, preview, save, render, download, share, remix, duplicate, delete', async () => {
  const me = await open(browser(), { storageState: owner });
  const { page } = me;
  await page.goto('/melos');
  await shot(page, 'melos-01-home');
  await page.locator('article', { hasText: 'Morning in C' }).getByRole('link', { name: 'Open in the editor' }).click();
  await page.waitForURL(/\/melos\/new\?example=morning-in-c$/);
  await rollSvg(page).waitFor();
  const before = await rollSvg(page).innerHTML();

  // A slider: the roll follows (debounced), the output shows the value.
  await field(page, 'tracks.0.generator.density').fill('0.3');
  await expect.poll(() => rollSvg(page).innerHTML(), { timeout: 10_000 }).not.toBe(before);
  expect(await page.locator('label[for="f-tracks.0.generator.density"] output').textContent()).toBe('0.3');
  const sparse = await rollLabel(page);
  await field(page, 'seed').fill('12345');
  await expect.poll(() => rollLabel(page), { timeout: 10_000 }).not.toBe(sparse);

  // A select that changes what the track is: its fields are redrawn.
  await field(page, 'tracks.0.generator.type').selectOption('automaton');
  await field(page, 'tracks.0.generator.rule').waitFor();
  expect(await field(page, 'tracks.0.generator.contour').count()).toBe(0);
  await field(page, 'tracks.0.generator.rule').fill('90');

  // The structural buttons, through htmx.
  await page.getByRole('button', { name: 'Add a track' }).click();
  await field(page, 'tracks.4.name').waitFor();
  await page.getByRole('button', { name: 'Move up (Track 5)' }).click();
  await expect.poll(() => field(page, 'tracks.3.name').inputValue()).toBe('Track 5');
  await page.getByRole('button', { name: 'Remove (Track 5)' }).click();
  await expect.poll(() => field(page, 'tracks.4.name').count()).toBe(0);
  await page.getByRole('button', { name: 'Add a lane' }).click();
  await field(page, 'tracks.3.generator.lanes.3.drum').waitFor();
  await page.getByRole('button', { name: 'Remove lane (4)' }).click();
  await expect.poll(() => field(page, 'tracks.3.generator.lanes.3.drum').count()).toBe(0);
  await page.getByRole('button', { name: 'Re-roll' }).click();
  await expect.poll(() => field(page, 'seed').inputValue()).not.toBe('12345');
  expect(await field(page, 'tracks.0.generator.rule').inputValue()).toBe('90');

  // Preview: an <audio> that loads and lasts a few seconds.
  await page.getByRole('button', { name: 'Preview' }).click();
  const audio = page.locator('#melos-preview audio');
  await audio.waitFor();
  await expect.poll(() => audio.evaluate((a) => (a as unknown as { duration: number }).duration), { timeout: 15_000 }).toBeGreaterThan(5);
  // A new role brings its generator along (Strings: chords → an arpeggiator), and back.
  await field(page, 'tracks.1.role').selectOption('arpeggio');
  await expect.poll(() => field(page, 'tracks.1.generator.type').inputValue()).toBe('arpeggio');
  await field(page, 'tracks.1.role').selectOption('chords');
  await expect.poll(() => field(page, 'tracks.1.generator.type').inputValue()).toBe('chords');
  await field(page, 'title').fill('Morning, e2e');
  await shot(page, 'melos-02-editor');

  // Enter in a text field saves (the form's default button), it does not re-roll.
  const seed = await field(page, 'seed').inputValue();
  const loaded = page.waitForEvent('load');
  await field(page, 'title').press('Enter');
  await loaded;
  await page.waitForURL(/\/melos\/recipes\/[\w-]{22}\?done=saved$/);
  await page.getByText('Saved.').waitFor();
  const recipeUrl = page.url().split('?')[0]!;
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Morning, e2e');
  expect(await field(page, 'tracks.0.generator.rule').inputValue()).toBe('90');
  expect(await field(page, 'seed').inputValue()).toBe(seed);

  // Render: the card polls its progress until the downloads appear.
  await page.getByRole('button', { name: 'Render MIDI and WAV' }).click();
  await page.locator('.melos-render').first().waitFor();
  await page.getByRole('link', { name: /^Download WAV/ }).waitFor({ timeout: 60_000 });
  await shot(page, 'melos-03-rendered');
  const midi = await download(page, 'Download MIDI');
  expect(midi.name).toBe('Morning, e2e.mid');
  expect(midi.bytes.subarray(0, 4).toString('latin1')).toBe('MThd');
  const wav = await download(page, 'Download WAV');
  expect(wav.name).toBe('Morning, e2e.wav');
  expect(wav.bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
  expect(wav.bytes.readUInt32LE(24)).toBe(44_100);
  expect(wav.bytes.readUInt16LE(22)).toBe(2);
  // Asking again for the same recipe is the same render.
  await page.getByRole('button', { name: 'Render MIDI and WAV' }).click();
  await page.waitForTimeout(500);
  expect(await page.locator('.melos-render').count()).toBe(1);
  // Delete it (htmx takes the card away); render again for what follows.
  await page.getByRole('button', { name: 'Delete render' }).click();
  await expect.poll(() => page.locator('.melos-render').count()).toBe(0);
  await page.getByRole('button', { name: 'Render MIDI and WAV' }).click();
  await page.getByRole('link', { name: /^Download WAV/ }).waitFor({ timeout: 60_000 });

  // Save changes (a plain post back to the recipe): saved, so a fresh load shows them.
  await field(page, 'tempo').fill('120');
  await submit(page, 'Save changes');
  expect(page.url()).toBe(`${recipeUrl}?done=saved`);
  expect(await page.locator('.notice-warn, .error').count()).toBe(0);
  await page.goto(recipeUrl);
  expect(await field(page, 'tempo').inputValue()).toBe('120');

  // Share; a friend on a phone, in the dark, opens the link and remixes it.
  await submit(page, 'Make a share link');
  const shareUrl = await page.locator('#melos-share-url').inputValue();
  const other = await open(browser(), { ...PHONE_DARK, storageState: friend });
  await other.page.goto(shareUrl);
  await other.page.locator('.melos-roll').waitFor();
  await shot(other.page, 'melos-04-shared-phone-dark');
  expect(await other.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await submit(other.page, 'Remix into my recipes');
  expect(await other.page.getByRole('heading', { level: 1 }).textContent()).toBe('Morning, e2e (remix)');

  // Duplicate, then delete the copy (the browser asks first).
  await submit(page, 'Duplicate');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Morning, e2e (copy)');
  await page.getByRole('checkbox', { name: /Delete for good/ }).check();
  await submit(page, 'Delete');
  expect(page.url()).toBe(`${server.url}/melos`);
  expect(await page.getByRole('link', { name: 'Morning, e2e (copy)' }).count()).toBe(0);
  await page.getByRole('link', { name: 'Morning, e2e', exact: true }).waitFor();
  await shot(page, 'melos-05-home-with-recipes');

  expect(me.problems, me.problems.join('\n')).toEqual([]);
  expect(other.problems, other.problems.join('\n')).toEqual([]);
  await me.context.close();
  await other.context.close();
}, 180_000);

it('with JavaScript: a render that fails says why and offers "Try again"', async () => {
  const me = await open(browser(), { storageState: owner });
  const { page } = me;
  await page.goto('/melos/new');
  await field(page, 'title').fill('Doomed render');
  await submit(page, 'Save recipe');
  await page.getByRole('button', { name: 'Render MIDI and WAV' }).click();
  await page.getByText('This recipe is no longer valid').waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByText(/Waiting for the renderer|Rendering/).waitFor();
  await page.getByRole('button', { name: 'Try again' }).waitFor({ timeout: 30_000 });
  expect(me.problems, me.problems.join('\n')).toEqual([]);
  await me.context.close();
}, 90_000);

it('without JavaScript on a phone in the dark: every editor button and form is a plain post', async () => {
  const me = await open(browser(), { ...PHONE_DARK, javaScriptEnabled: false, storageState: owner });
  const { page } = me;
  await page.goto('/melos/new?example=rule-30-bells');
  await rollSvg(page).waitFor();
  // The role and generator selects apply with the button (htmx would do it on change).
  await field(page, 'tracks.0.generator.type').selectOption('lsystem');
  await page.locator('fieldset.t0').getByRole('button', { name: 'Apply role and generator' }).click();
  await page.waitForLoadState('load');
  await field(page, 'tracks.0.generator.axiom').waitFor();
  await submit(page, 'Add a track');
  await field(page, 'tracks.3.name').waitFor();
  await submit(page, 'Move up (Track 4)');
  expect(await field(page, 'tracks.2.name').inputValue()).toBe('Track 4');
  await submit(page, 'Remove (Track 4)');
  expect(await field(page, 'tracks.3.name').count()).toBe(0);
  await submit(page, 'Add a lane');
  await submit(page, 'Remove lane (4)');
  expect(await field(page, 'tracks.2.generator.lanes.3.drum').count()).toBe(0);
  await submit(page, 'Re-roll');
  await submit(page, 'Preview');
  expect(await page.locator('#melos-preview audio').count()).toBe(1);
  await shot(page, 'melos-06-editor-nojs-phone-dark');
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

  await field(page, 'title').fill('Bells, no script');
  await submit(page, 'Save recipe');
  const recipeUrl = page.url().split('?')[0]!;
  await submit(page, 'Render MIDI and WAV');
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByRole('link', { name: /^Download WAV/ }).count();
      },
      { timeout: 60_000, interval: 1000 },
    )
    .toBe(1);
  await shot(page, 'melos-07-rendered-nojs-phone-dark');
  await submit(page, 'Delete render');
  expect(await page.locator('.melos-render').count()).toBe(0);
  await field(page, 'bars').fill('8');
  await submit(page, 'Save changes');
  expect(page.url()).toBe(`${recipeUrl}?done=saved`);
  await page.goto(recipeUrl);
  expect(await field(page, 'bars').inputValue()).toBe('8');
  await submit(page, 'Make a share link');
  const shareUrl = await page.locator('#melos-share-url').inputValue();
  await submit(page, 'Duplicate');
  await page.getByRole('checkbox', { name: /Delete for good/ }).check();
  await submit(page, 'Delete');
  expect(page.url()).toBe(`${server.url}/melos`);

  const other = await open(browser(), { ...PHONE_DARK, javaScriptEnabled: false, storageState: friend });
  await other.page.goto(shareUrl);
  await submit(other.page, 'Remix into my recipes');
  expect(await other.page.getByRole('heading', { level: 1 }).textContent()).toBe('Bells, no script (remix)');

  // The failing render, and its retry, without JavaScript.
  await page.goto('/melos/new');
  await field(page, 'title').fill('Doomed render');
  await submit(page, 'Save recipe');
  await submit(page, 'Render MIDI and WAV');
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByRole('button', { name: 'Try again' }).count();
      },
      { timeout: 30_000, interval: 1000 },
    )
    .toBe(1);
  await submit(page, 'Try again');
  expect(me.problems, me.problems.join('\n')).toEqual([]);
  expect(other.problems, other.problems.join('\n')).toEqual([]);
  await me.context.close();
  await other.context.close();
}, 180_000);

it('axe: every Melos page, desktop and phone, light and dark', async () => {
  const { context, page } = await open(browser(), { storageState: owner });
  await page.goto('/melos');
  const recipe = await page.locator('.melos-list a').first().getAttribute('href');
  await page.goto(recipe!);
  await submit(page, /^(Make a share link|Stop sharing)/);
  const share = (await page.locator('#melos-share-url').count()) ? new URL(await page.locator('#melos-share-url').inputValue()).pathname : null;
  await context.close();
  const found = [
    ...(await audit('/melos', undefined)),
    ...(await audit('/melos', owner)),
    ...(await audit('/melos/new?example=euclid-groove', owner)),
    ...(await audit(recipe!, owner)),
    ...(share ? await audit(share, undefined) : ['no share link']),
  ];
  expect(found, found.join('\n')).toEqual([]);
}, 180_000);
