// Lexicon's keyboard layer. Progressive: every action is a link or a form that
// works without it. Loaded as a module with the CSP nonce.
//
//   j / k  next / previous row        o, Enter  open the row in the pane
//   c      new ticket                 a         assign the open ticket to me
//   s      focus the status buttons   x         select the row (bulk actions)
//   /      search                     ?         shortcut help        Esc  leave a field / close

const rows = () => [...document.querySelectorAll('#lx-rows > .lx-row')];
const idOf = (row) => row.id.slice(2); // <li id="t-123">
let cursorId = null;

function markRows() {
  const open = document.querySelector('#lx-pane .lx-ticket')?.getAttribute('data-id');
  for (const row of rows()) {
    row.classList.toggle('is-cursor', idOf(row) === cursorId);
    row.classList.toggle('is-open', idOf(row) === open);
  }
}

function move(step) {
  const list = rows();
  if (list.length === 0) return;
  let i = list.findIndex((r) => idOf(r) === cursorId);
  i = i === -1 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step));
  cursorId = idOf(list[i]);
  markRows();
  list[i].scrollIntoView({ block: 'nearest' });
}

const cursorRow = () => rows().find((r) => idOf(r) === cursorId) ?? null;
const click = (selector) => document.querySelector(selector)?.click();

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

document.addEventListener('keydown', (event) => {
  if (!document.querySelector('.lx')) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (typing(event.target)) {
    if (event.key === 'Escape') event.target.blur();
    return;
  }
  const help = document.getElementById('lx-help');
  if (help?.open) return; // the dialog handles its own keys (Esc closes it)
  switch (event.key) {
    case 'j':
      move(1);
      break;
    case 'k':
      move(-1);
      break;
    case 'o':
    case 'Enter': {
      // Enter on a focused button or link keeps its own meaning.
      if (event.key === 'Enter' && event.target instanceof HTMLElement && event.target.closest('button, a')) return;
      cursorRow()?.querySelector('.lx-subj')?.click();
      break;
    }
    case 'x': {
      const box = cursorRow()?.querySelector('input[type=checkbox]');
      if (box) box.checked = !box.checked;
      break;
    }
    case 'c':
      click('#lx-new');
      break;
    case 'a':
      click('#lx-pane #lx-assign-me');
      break;
    case 's':
      document.querySelector('#lx-pane .lx-status button')?.focus();
      break;
    case '/':
      document.getElementById('lx-search')?.focus();
      break;
    case '?':
      help?.showModal();
      break;
    default:
      return;
  }
  event.preventDefault();
});

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest('#lx-help-open')) document.getElementById('lx-help')?.showModal();
  // Clicking a row moves the keyboard cursor there too.
  const row = target?.closest('#lx-rows > .lx-row');
  if (row) {
    cursorId = idOf(row);
    markRows();
  }
});

// Select all rows in the list.
document.addEventListener('change', (event) => {
  if (!(event.target instanceof HTMLInputElement) || event.target.id !== 'lx-select-all') return;
  for (const box of document.querySelectorAll('#lx-rows input[type=checkbox]')) box.checked = event.target.checked;
});

// Swaps (a new list, a re-rendered row, a new pane) keep the cursor and the open row marked.
new MutationObserver(markRows).observe(document.body, { childList: true, subtree: true });
markRows();
