/** axe-core in a playwright page: the audit behind a11y.e2e.test.ts. */
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

type AxeNode = { target: string[]; failureSummary?: string };
type AxeViolation = { id: string; impact: string | null; help: string; nodes: AxeNode[] };

/**
 * Runs axe-core (WCAG 2.x A/AA and best practices) on the page as it is now and
 * returns one readable line per violating element: `rule (impact) selector: help`.
 * The page's context needs `bypassCSP: true`: the script is injected inline, which
 * our CSP (nonces only) rightly refuses; nothing else about the page changes.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`,
  );
  return violations.flatMap((v) =>
    v.nodes.map(
      (n) => `${v.id} (${v.impact ?? 'n/a'}) ${n.target.join(' ')}: ${v.help}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').trim()}]` : ''}`,
    ),
  );
}

/** The four ways a page is audited: desktop and phone, light and dark. */
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, colorScheme: 'light' };
export const PHONE_DARK: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' };
export const VARIANTS: Array<[string, BrowserContextOptions]> = [
  ['desktop light', DESKTOP],
  ['desktop dark', { ...DESKTOP, colorScheme: 'dark' }],
  ['phone light', { ...PHONE_DARK, colorScheme: 'light' }],
  ['phone dark', PHONE_DARK],
];

/** Runs axe on `path` in each of VARIANTS (as `storageState`'s user, or signed out); one line per violation. */
export async function auditVariants(browser: Browser, baseURL: string, path: string, storageState?: BrowserContextOptions['storageState']): Promise<string[]> {
  const found: string[] = [];
  for (const [name, options] of VARIANTS) {
    const context = await browser.newContext({ baseURL, bypassCSP: true, storageState, ...options });
    const page = await context.newPage();
    await page.goto(path);
    for (const line of await axeViolations(page)) found.push(`${name} ${path}: ${line}`);
    await context.close();
  }
  return found;
}
