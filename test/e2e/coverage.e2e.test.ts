// The browser walk's coverage check (like the CSRF matrix, it walks app.routes): every
// registered unsafe route must have been submitted by Chromium, with JavaScript (through
// htmx) and without, somewhere in this e2e run, unless coverage.ts's EXEMPT says why
// not. The sequencer (coverage-sequencer.ts) runs this file after all the others; run
// alone, it fails with every route listed, which is the truth: nothing was walked.
import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { unsafeRoutes } from '../support/csrf';
import { coverageGaps, EXEMPT, ROUTES_FILE, walkedModes, type WalkedRequest } from './coverage';

const routes = unsafeRoutes().map((r) => `${r.method} ${r.path}`);

it('every exemption names a registered route', () => {
  const stale = Object.keys(EXEMPT).filter((r) => !routes.includes(r));
  expect(stale, `exempt but not registered (remove from EXEMPT in test/e2e/coverage.ts): ${stale.join(', ')}`).toEqual([]);
});

it('every unsafe route was walked in Chromium with JavaScript (htmx) and without', () => {
  const requests: WalkedRequest[] = existsSync(ROUTES_FILE)
    ? readFileSync(ROUTES_FILE, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as WalkedRequest)
    : [];
  const gaps = coverageGaps(routes, walkedModes(requests));
  expect(
    gaps,
    `${gaps.length} unsafe route/mode pair(s) no e2e test drove in the browser (${requests.length} browser requests recorded in ${ROUTES_FILE}).\n` +
      'Add a walk that submits the form from the page (both `javaScriptEnabled: true` and `false`), or an EXEMPT entry with its reason:\n  ' +
      gaps.join('\n  '),
  ).toEqual([]);
});
