// CodeBin's page enhancements. Everything here is optional: without it, forms
// still post, #L3 links still highlight (CSS :target), copy falls back to select.

// Tab in the paste textarea inserts a tab character. Esc, then Tab, moves focus on
// (so keyboard users are never trapped).
let escaped = false;
document.addEventListener('keydown', (event) => {
  const area = event.target;
  if (!(area instanceof HTMLTextAreaElement) || !area.hasAttribute('data-tab-indent')) return;
  if (event.key === 'Escape') {
    escaped = true;
    return;
  }
  if (event.key !== 'Tab' || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) {
    escaped = false;
    return;
  }
  if (escaped) {
    escaped = false;
    return;
  }
  event.preventDefault();
  // execCommand keeps the browser's undo history; setRangeText is the fallback.
  if (!document.execCommand('insertText', false, '\t')) area.setRangeText('\t', area.selectionStart, area.selectionEnd, 'end');
});

// Line links: click a number for #L3, shift-click another for #L3-L9.
const RANGE = /^#L(\d+)(?:-L?(\d+))?$/;
let anchor = null;

function selected() {
  const m = RANGE.exec(location.hash);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2] ?? m[1]);
  return [Math.min(a, b), Math.max(a, b)];
}

function paint(scroll) {
  for (const el of document.querySelectorAll('pre.code .line.hl')) el.classList.remove('hl');
  const range = selected();
  if (!range) return;
  for (let n = range[0]; n <= range[1]; n++) document.getElementById(`L${n}`)?.classList.add('hl');
  if (scroll) document.getElementById(`L${range[0]}`)?.scrollIntoView({ block: 'center' });
}

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('pre.code a.ln') : null;
  if (!link) return;
  event.preventDefault();
  const n = Number(link.getAttribute('data-n'));
  const hash = event.shiftKey && anchor !== null && anchor !== n ? `#L${Math.min(anchor, n)}-L${Math.max(anchor, n)}` : `#L${n}`;
  if (!event.shiftKey) anchor = n;
  history.replaceState(null, '', hash);
  paint(false);
});

window.addEventListener('hashchange', () => paint(true));
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => paint(true));
else paint(true);

// Manage page: the delete link carries its token in the fragment (#token=…), which
// no server ever sees. Put it into the forms that need it, show the full link once,
// and keep the address as it is so a bookmark still holds the token.
// (Links made before the fragment, with ?token=…, still work the same way.)
function fillDeleteToken() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  const token = fromHash ?? new URLSearchParams(location.search).get('token');
  if (!token) return;
  for (const input of document.querySelectorAll('input[data-delete-token]')) {
    if (!input.value) input.value = token;
  }
  const link = document.querySelector('[data-manage-link]');
  const anchor = link?.querySelector('a');
  if (link && anchor) {
    anchor.href = location.href;
    anchor.textContent = location.href;
    link.hidden = false;
  }
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fillDeleteToken);
else fillDeleteToken();
