/**
 * What every Lexicon screen shares: its assets, status words, the double-submit
 * guard, the one-time key of a creating form, and how text and people are shown.
 * Pure components: everything they show comes in as props.
 */
import type { Child } from 'hono/jsx';
import { asset } from '../../assets';
import type { Queue } from '../queues';
import type { Status } from '../status';

/** Lexicon's own styles (every Lexicon page) and keyboard module (the staff screen). */
export const LEXICON_STYLES = { styles: [asset('/lexicon.css')] };
export const LEXICON_ASSETS = { ...LEXICON_STYLES, scripts: [asset('/lexicon.js')] };

/** What a status means, for requesters (agents read the short labels). */
export const PLAIN_STATUS: Record<Status, string> = {
  new: 'Received',
  open: 'In progress',
  pending: 'Waiting for your reply',
  resolved: 'Solved',
  closed: 'Closed',
};

/**
 * Double-submit guard for htmx: a second submit while the first is in flight is
 * dropped, and the buttons are disabled meanwhile. Plain attributes (no hx-on, no
 * eval: the CSP forbids them). Without JavaScript the server's one-time key is the guard.
 */
export const ONCE = { 'hx-sync': 'this:drop', 'hx-disable': 'findAll button' } as const;

/** A one-time key for a form that creates something (see migrations/0007). */
export function SubmissionKey({ value }: { value?: string | undefined }) {
  return <input type="hidden" name="idempotencyKey" value={value ?? crypto.randomUUID()} />;
}

export function StatusBadge({ status, plain }: { status: Status; plain?: boolean | undefined }) {
  return plain ? <b class={`st st-${status} plain`}>{PLAIN_STATUS[status]}</b> : <b class={`st st-${status}`}>{status}</b>;
}

export const QUEUE_LABELS: Record<Queue, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  resolved: 'Resolved',
  closed: 'Closed',
  mine: 'Mine',
  unassigned: 'Unassigned',
  overdue: 'Overdue',
};

/** Text with http(s) links made clickable; everything else stays escaped text. */
export function Linkified({ text }: { text: string }) {
  const parts: Child[] = [];
  let last = 0;
  for (const match of text.matchAll(/\bhttps?:\/\/[^\s<>"'`]+/gi)) {
    const url = match[0].replace(/[.,;:!?)\]}]+$/, '');
    const start = match.index;
    let href: string | null = null;
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') href = parsed.href;
    } catch {
      /* not a URL after all: leave it as text */
    }
    parts.push(
      text.slice(last, start),
      href ? (
        <a href={href} rel="nofollow noopener noreferrer ugc" target="_blank">
          {url}
        </a>
      ) : (
        url
      ),
    );
    last = start + url.length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

/**
 * A person by display name. Display names are typed by their owners and can say
 * anything ("IT Support"), so staff always see the address next to it; requesters
 * see the name (the address on hover).
 */
export function Person({ p, staff }: { p: { name: string; email: string }; staff: boolean }) {
  if (!staff || p.name === p.email) return <span title={p.email}>{p.name}</span>;
  return (
    <span class="lx-person">
      {p.name} <span class="lx-email">&lt;{p.email}&gt;</span>
    </span>
  );
}
