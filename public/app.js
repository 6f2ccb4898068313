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
    setTimeout(() => { button.textContent = label; }, 1500);
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
