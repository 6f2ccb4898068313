// Oracle's pages: sealing a message in the owner's browser, and opening one in the
// recipient's. The crypto is oracle-crypto.js (loaded just before this module); the
// text and the key card never leave this page except as the owner hands them over.

const oc = globalThis.oracleCrypto;

// This page can seal and open: the "needs JavaScript" notices go.
if (oc) for (const notice of document.querySelectorAll('.oracle-needs-js')) notice.hidden = true;

const say = (where, text, error = false) => {
  if (!where) return;
  const p = document.createElement('p');
  p.className = error ? 'notice notice-error' : 'notice';
  p.setAttribute('role', error ? 'alert' : 'status');
  p.textContent = text;
  where.replaceChildren(p);
};

// ---------------------------------------------------------------- sealing (the owner)

const seal = document.getElementById('oracle-seal');
if (seal && oc) {
  document.getElementById('oracle-seal-fields').disabled = false;
  const status = document.getElementById('oracle-seal-status');
  const text = document.getElementById('oracle-plaintext');
  const button = seal.querySelector('button[type="submit"]');
  seal.addEventListener('submit', async (event) => {
    event.preventDefault();
    const plaintext = text.value;
    if (plaintext.trim() === '') {
      say(status, 'Write the message first.', true);
      text.focus();
      return;
    }
    const bytes = new TextEncoder().encode(plaintext).length;
    if (bytes > 65_520) {
      say(
        status,
        `This message is ${bytes.toLocaleString('en')} bytes; at most 65,520 fit (64 KB: fewer characters for non-Latin text and emoji). Shorten it.`,
        true,
      );
      text.focus();
      return;
    }
    const mode = seal.querySelector('input[name="mode"]:checked')?.value === 'server' ? 'server' : 'keycard';
    const chosen = [...(document.getElementById('oracle-files')?.files ?? [])];
    const total = chosen.reduce((sum, f) => sum + f.size, 0);
    if (chosen.length > oc.MAX_FILES || total > oc.MAX_FILE_BYTES) {
      say(
        status,
        chosen.length > oc.MAX_FILES
          ? `At most ${oc.MAX_FILES} attachments: you chose ${chosen.length}.`
          : `Attachments are at most 5 MiB (5,242,880 bytes) together: these are ${total.toLocaleString('en')} bytes. Leave some out.`,
        true,
      );
      document.getElementById('oracle-files').focus();
      return;
    }
    button.disabled = true;
    say(status, 'Sealing…');
    try {
      const files = await Promise.all(chosen.map(async (f) => ({ name: f.name, type: f.type, bytes: new Uint8Array(await f.arrayBuffer()) })));
      const sealed = await oc.seal(plaintext, seal.dataset.switch, seal.dataset.message, { keyCard: mode === 'keycard', files });
      const body = new FormData();
      body.set('_csrf', seal.querySelector('input[name="_csrf"]').value);
      body.set('iv', sealed.iv);
      body.set('ciphertext', sealed.ciphertext);
      body.set('server_share', sealed.serverShare);
      body.set('length', String([...plaintext].length));
      body.set('mode', mode);
      for (const file of sealed.files) {
        body.append('file', new Blob([file.sealed], { type: 'application/octet-stream' }), 'sealed.bin');
        body.append('file_iv', file.iv);
      }
      if (files.length > 0) say(status, 'Uploading…');
      // Asked this way, the server answers a notice, not the 303 a plain form gets: this page stays (the key card is here).
      // The token as a header: only so may the body be as large as attachments need (the server reads no large body for it).
      const res = await fetch(seal.action, { method: 'POST', body, headers: { 'hx-request': 'true', 'x-csrf-token': body.get('_csrf') } });
      if (!res.ok) {
        const answer = new DOMParser().parseFromString(await res.text(), 'text/html').body.textContent.trim();
        say(status, answer || `Not saved (${res.status}). Try again.`, true);
        button.disabled = false;
        return;
      }
      // Saved: the text goes, the key card comes (it exists only here).
      await res.text();
      text.value = '';
      seal.hidden = true;
      if (mode === 'server') {
        const saved = document.getElementById('oracle-readable-saved');
        saved.hidden = false;
        saved.querySelector('h2').setAttribute('tabindex', '-1');
        saved.querySelector('h2').focus();
        return;
      }
      const link = `${seal.dataset.open}#k=${sealed.recipientShare}`;
      document.getElementById('oracle-keycard-link').textContent = link;
      document.getElementById('oracle-keycard-code').textContent = oc.printableCode(sealed.recipientShare);
      const card = document.getElementById('oracle-keycard');
      card.hidden = false;
      // The card exists only in this page: leaving asks first, until its "saved" link is used.
      const keep = (event) => {
        event.preventDefault();
        event.returnValue = '';
      };
      window.addEventListener('beforeunload', keep);
      for (const link of card.querySelectorAll('a')) link.addEventListener('click', () => window.removeEventListener('beforeunload', keep));
      card.querySelector('h2').setAttribute('tabindex', '-1');
      card.querySelector('h2').focus();
    } catch (error) {
      say(status, `Not saved: ${error instanceof Error ? error.message : String(error)}`, true);
      button.disabled = false;
    }
  });
  document.getElementById('oracle-print')?.addEventListener('click', () => window.print());
}

// ---------------------------------------------------------------- opening (the recipient)

const open = document.getElementById('oracle-open');
if (open && oc) {
  open.hidden = false;
  const status = document.getElementById('oracle-open-status');
  const server = open.querySelector('input[name="server"]');
  const card = open.querySelector('input[name="card"]');
  // The shares arrive in the fragment (#s=…, #k=…, or both): fill them in, then take
  // them out of the address bar so they stay out of history.
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('s')) server.value = `#s=${fragment.get('s')}`;
  if (fragment.get('k')) card.value = `#k=${fragment.get('k')}`;
  if (location.hash) history.replaceState(null, '', location.pathname);

  const tryOpen = async () => {
    const s = oc.readShare(server.value, 's');
    const k = oc.readShare(card.value, 'k');
    if (!s) {
      say(
        status,
        k
          ? 'Keep this key card. Oracle has sent you nothing yet: only if the switch fires does an email come, with a link (it has #s= in it). Open that link, and enter this card there.'
          : 'Paste the link Oracle sent you (it has #s= in it).',
        !k,
      );
      server.focus();
      return;
    }
    if (!k) {
      say(status, 'Paste your key card: its link (with #k=) or its 64-character code.', true);
      card.focus();
      return;
    }
    say(status, 'Opening…');
    const res = await fetch(open.dataset.sealed, { headers: { accept: 'application/json' } });
    if (!res.ok) {
      say(
        status,
        res.status === 404 ? 'There is no message here yet: it is sent only when the switch fires.' : `The server answered ${res.status}. Try again.`,
        true,
      );
      return;
    }
    const sealed = await res.json();
    try {
      const plaintext = await oc.unseal(sealed, s, k, sealed.switch_id, open.dataset.message);
      document.getElementById('oracle-plaintext-out').textContent = plaintext;
      await showFiles(sealed, s, k);
      const out = document.getElementById('oracle-plain');
      out.hidden = false;
      open.hidden = true;
      out.querySelector('h2').setAttribute('tabindex', '-1');
      out.querySelector('h2').focus();
    } catch {
      say(status, 'These keys do not open this message: check that the key card is the one for this message (the latest one you were given).', true);
    }
  };
  // Each attachment: fetched sealed, opened with the same key, offered as a download.
  const showFiles = async (sealed, s, k) => {
    if (!sealed.files?.length) return;
    const list = document.getElementById('oracle-files-list');
    list.replaceChildren();
    for (const file of sealed.files) {
      const item = document.createElement('li');
      try {
        const res = await fetch(file.url);
        if (!res.ok) throw new Error(`the server answered ${res.status}`);
        const opened = await oc.openFile(
          { iv: file.iv, sealed: new Uint8Array(await res.arrayBuffer()) },
          s,
          k,
          sealed.switch_id,
          open.dataset.message,
          file.index,
        );
        const link = document.createElement('a');
        link.href = URL.createObjectURL(new Blob([opened.bytes], { type: 'application/octet-stream' }));
        link.download = opened.name;
        link.textContent = opened.name;
        item.append(link, ` (${opened.bytes.length.toLocaleString('en')} bytes)`);
      } catch (error) {
        item.textContent = `Attachment ${file.index + 1} could not be opened: ${error instanceof Error ? error.message : String(error)}`;
        item.className = 'error';
      }
      list.append(item);
    }
    document.getElementById('oracle-files-out').hidden = false;
  };

  open.addEventListener('submit', (event) => {
    event.preventDefault();
    tryOpen();
  });
  if (server.value && card.value) tryOpen();
}
