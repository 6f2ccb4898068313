/**
 * Every Oracle URL, built in one place: views link with these, routes redirect to
 * them, the dispatcher puts them in mail. Pure: no Hono, no Env.
 */
export const BASE = '/oracle';

const switchPath = (id: string) => `${BASE}/switches/${id}`;
const recipient = (id: string) => `${BASE}/recipients/${id}`;

export const paths = {
  /** Your switches, and the form that makes one. */
  home: BASE,
  switches: `${BASE}/switches`,
  switch: switchPath,
  checkin: (id: string) => `${switchPath(id)}/checkin`,
  pause: (id: string) => `${switchPath(id)}/pause`,
  /** "Test this switch": the owner's summary by email, a ping to each webhook. */
  test: (id: string) => `${switchPath(id)}/test`,
  remove: (id: string) => `${switchPath(id)}/delete`,
  /** The owner's own webhook for their notices (set, or remove with an empty URL). */
  ownerWebhook: (id: string) => `${switchPath(id)}/owner-webhook`,
  recipients: (id: string) => `${switchPath(id)}/recipients`,
  recipient,
  removeRecipient: (id: string) => `${recipient(id)}/delete`,
  /** Write (or replace) a recipient's sealed message: encrypted in the browser. */
  message: (id: string) => `${recipient(id)}/message`,
  /** The check-in link in a warning: a page with a button (GET changes nothing). */
  checkinLink: (token: string) => `${BASE}/c/${token}`,
  /** The trusted contact's postpone link: a page with a button. */
  postponeLink: (token: string) => `${BASE}/p/${token}`,
  /** A recipient's open page: the shares travel in the fragment, which browsers never send. */
  open: (messageId: string) => `${BASE}/open/${messageId}`,
  /** The ciphertext, as JSON, once dispatched. */
  sealed: (messageId: string) => `${BASE}/open/${messageId}/sealed`,
  /** Attachment `index` of a message: its sealed bytes, once dispatched. */
  file: (messageId: string, index: number) => `${BASE}/open/${messageId}/files/${index}`,
  /** Deliveries that gave up, across every switch (admins). */
  failed: `${BASE}/failed`,
  /** The development outbox (admins). */
  outbox: `${BASE}/outbox`,
} as const;

/** The JSON API (scopes `oracle` and `oracle:checkin`). */
export const apiPaths = {
  switches: `${BASE}/api/switches`,
  switch: (id: string) => `${BASE}/api/switches/${id}`,
  checkin: (id: string) => `${BASE}/api/switches/${id}/checkin`,
} as const;
