// Sixfold's small client module: progressive enhancements only; every page works
// without it. Loaded with the CSP nonce; no inline handlers (CSP forbids them).

// Copy buttons: <button data-copy="#selector">, copies the target's value or text.
document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
  if (!button) return;
  const target = document.querySelector(button.getAttribute('data-copy'));
  if (!target) return;
  const text = 'value' in target ? target.value : target.textContent;
  try {
    await navigator.clipboard.writeText(text ?? '');
    const label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => {
      button.textContent = label;
    }, 1500);
  } catch {
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) target.select();
  }
});

// htmx 4 swaps error responses too; error notices go to #flash (see shared/http/errors.tsx).
// Clear a stale notice when the next request starts.
document.addEventListener('htmx:before:request', () => {
  const flash = document.getElementById('flash');
  if (flash) flash.replaceChildren();
});

// The header's apps menu is a <details>: Escape closes it and gives focus back to its
// summary (where a keyboard user opened it); a click elsewhere closes it too.
const openAppsMenu = () => document.querySelector('details.apps-menu[open]');
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  const menu = openAppsMenu();
  if (!menu) return;
  menu.open = false;
  menu.querySelector('summary')?.focus();
  event.stopPropagation();
});
document.addEventListener('click', (event) => {
  const menu = openAppsMenu();
  if (menu && event.target instanceof Node && !menu.contains(event.target)) menu.open = false;
});

// Times: the server writes <time datetime data-local> in UTC (what a reader without
// JavaScript sees); here they become the reader's own: relative while recent ("3 min
// ago", "in 2 days"), a local date beyond a week, and the full local date and time on
// hover. Again after every htmx swap, and each minute so "just now" does not stay.
const WEEK = 7 * 24 * 3600_000;
const UNITS = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'long' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });

/** "3 minutes ago", "in 2 days", "now"; null when it is more than a week away. */
export function relativeTime(ms, now = Date.now()) {
  const diff = ms - now;
  if (Math.abs(diff) >= WEEK) return null;
  if (Math.abs(diff) < 60_000) return relative.format(0, 'second');
  // Rounded, and a unit is taken from 95% of it: a fresh 1-hour expiry reads "in 1 hour",
  // not "in 59 minutes", and a 1-week one "in 7 days", not "in 6 days".
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size * 0.95) return relative.format(Math.round(diff / size), unit);
  }
  return relative.format(0, 'second');
}

function localizeTimes(root = document) {
  const now = Date.now();
  for (const el of root.querySelectorAll('time[data-local]')) {
    const ms = Date.parse(el.getAttribute('datetime') ?? '');
    if (Number.isNaN(ms)) continue;
    const date = new Date(ms);
    el.textContent = relativeTime(ms, now) ?? absolute.format(date);
    el.title = full.format(date);
  }
}
localizeTimes();
for (const name of ['htmx:after:swap', 'htmx:after:settle', 'htmx:after:process']) document.addEventListener(name, () => localizeTimes());
setInterval(localizeTimes, 60_000);
