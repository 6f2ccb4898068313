// Melos's editor, enhanced (every control works without this file):
// - a slider's <output> shows its value as it moves;
// - changing a track's role or generator re-draws that track's fields at once
//   (the "Apply" button does it without JavaScript, and is hidden here);
document.documentElement.classList.add('melos-js');

document.addEventListener('input', (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== 'range') return;
  const output = input.closest('.melos-slider')?.querySelector('output');
  if (output) output.textContent = `${input.value}${output.dataset.unit ?? ''}`;
});

document.addEventListener('change', (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || !/^tracks\.\d+\.(role|generator\.type)$/.test(select.name)) return;
  const apply = select.closest('fieldset')?.querySelector('button[value^="refresh"]');
  if (apply instanceof HTMLButtonElement) select.form?.requestSubmit(apply);
});
