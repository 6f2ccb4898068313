// Seed data for the Lexicon benchmark: 20 users, 10,000 tickets, 50,000 comments,
// as one small SQL file (recursive CTEs generate the rows inside SQLite).
//
// Everything goes through the real tables, so the triggers of migrations 0003–0005
// do their work as they would for the app: tickets start as `new` (tickets_start_new)
// and then move along lexicon_transitions one UPDATE at a time, each bumping
// `version` (tickets_version); the queue counts, the per-assignee counts, the tag
// index and the full-text index are all kept by triggers, never written here.
//
// Deterministic: a ticket's creator, assignee, priority, status, tags and text, and
// which ticket each comment belongs to, come from a hash of its number (below), so
// every run measures the same data. The one input that changes is `now`.
import { pbkdf2Sync, randomBytes } from 'node:crypto';

export const TICKETS = 10_000;
export const COMMENTS = 50_000;
/** The account the benchmark signs in as (an agent, so it sees the staff screens). */
export const AGENT = { email: 'priya@bench.sixfold.test', password: 'bench-password-not-secret' };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The stored form of a password, exactly as shared/auth/password.ts writes it:
 * `pbkdf2-sha256$100000$<salt base64url>$<hash base64url>` (PBKDF2-HMAC-SHA256, 32 bytes).
 */
export function passwordHash(password, iterations = 100_000) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  return `pbkdf2-sha256$${iterations}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * A pseudo-random non-negative integer (< 2^31 - 1) from an integer SQL expression
 * and a salt: one Park–Miller step, squared (the square breaks the lattice a
 * linear step leaves, so `% k` spreads well). Stays within SQLite's 64-bit integers.
 * Over 50,000 comments, `1 + h % 10000` gives tickets Poisson-like counts of 0–16, mean 5.
 */
function h(expr, salt) {
  const x = `(((${expr}) + ${salt * 100_003}) * 48271 % 2147483647)`;
  return `((${x} * ${x} + (${expr})) % 2147483647)`;
}

const quote = (s) => `'${s.replace(/'/g, "''")}'`;
/** `(VALUES (0, 'a'), (1, 'b'), …)` as a CTE body, so a row can pick `i = h % count`. */
const table = (name, items) => `${name}(i, s) AS (VALUES ${items.map((s, i) => `(${i}, ${quote(s)})`).join(', ')})`;

const STAFF = [
  ['Morgan Reyes', 'morgan@bench.sixfold.test', 'admin'],
  ['Priya Raman', AGENT.email, 'agent'],
  ['Tomás Ortega', 'tomas@bench.sixfold.test', 'agent'],
  ['Hannah Becker', 'hannah@bench.sixfold.test', 'agent'],
  ['Kwame Mensah', 'kwame@bench.sixfold.test', 'agent'],
  ['Yuki Tanaka', 'yuki@bench.sixfold.test', 'agent'],
];
const MEMBERS = [
  'Alice Dupont',
  'Ben Okafor',
  'Chloé Martin',
  'Dmitri Volkov',
  'Elena García',
  'Farah Haddad',
  'George Li',
  'Ines Costa',
  'Jonas Schmidt',
  'Keiko Sato',
  'Liam Murphy',
  'Maya Cohen',
  'Noah Williams',
  'Olga Nowak',
];
// User ids: 1 admin, 2–6 agents, 7–20 requesters.
const AGENT_IDS = { first: 2, count: 5 };
const MEMBER_IDS = { first: STAFF.length + 1, count: MEMBERS.length };

const SUBJECTS = [
  'VPN drops every few minutes',
  'Cannot log in after password reset',
  'Invoice shows the wrong VAT rate',
  'Printer on 3rd floor jams on duplex',
  'Laptop fan is very loud',
  'Request: access to the finance share',
  'Outlook keeps asking for my password',
  'Wi-Fi slow in meeting room B',
  'New starter needs an account on Monday',
  'Export to CSV times out',
  'Two-factor codes are not arriving',
  'Monitor flickers when docked',
  'Shared calendar not syncing on phone',
  'Refund not received after cancellation',
  'API returns 502 intermittently',
  'Webhook deliveries delayed by hours',
  'Please change the billing contact',
  'Mobile app crashes on startup',
  'Search does not find older documents',
  'Licence expired for the design tool',
  'Teams calls drop after 10 minutes',
  'Password manager extension missing',
  'Cannot install updates on macOS',
  'Report dashboard shows no data for May',
  'Keyboard replacement request',
  'SSO redirect loop on the intranet',
  'Storage quota exceeded warning',
  'Delivery address wrong on order',
  'Permission denied when saving to the project folder',
  'Email bounces from a customer domain',
  'Onboarding checklist link is broken',
  'Screen sharing shows a black window',
  'Request a second monitor',
  'Scanner sends empty PDFs',
  'Expense tool rejects receipts',
  'Cannot reach the staging server over SSH',
  'Phone extension forwards to the wrong person',
  'Backup job failed last night',
  'Font rendering broken in the PDF export',
  'Need a refund for a duplicate charge',
];
const OPENERS = ['Hi team,', 'Hello,', 'Good morning,', 'Hi there,', 'Dear support,', 'Hey,', 'Hi all,', 'Hello support team,'];
const DETAILS = [
  'Since yesterday afternoon this happens several times an hour and I lose whatever I was working on. I restarted the machine twice and cleared the cache, but nothing changed.',
  'It started right after the update last week. A colleague on the same floor has the same problem, so I do not think it is just my device.',
  'I have attached a screenshot of the error. The message says the request could not be completed and to try again later, which I did, several times.',
  'This is blocking our month-end close, so I would appreciate a quick look. The same steps worked fine until the beginning of the month.',
  'I followed the steps in the help centre article but got stuck at the third step: the button it mentions is greyed out for me.',
  'It only happens when I am connected from home; in the office everything works. My connection is otherwise fine and other sites load quickly.',
  'Our customer noticed it first and reported it to us this morning. They are on the enterprise plan and would like an update by end of day.',
  'Could you check whether something changed on your side? Nothing changed on ours as far as I know, and the logs show nothing unusual.',
  'The problem is intermittent: sometimes it works for an hour, then fails for ten minutes. I noted the times below in case that helps.',
  'I am not sure this is the right queue for this, so please move it if needed. Happy to jump on a call if that is easier.',
];
const CLOSERS = [
  'Thanks in advance!',
  'Many thanks.',
  'Best regards.',
  'Thank you for your help.',
  'Cheers.',
  'Let me know if you need anything else from me.',
  'Kind regards.',
  'Appreciate it.',
];
const REQUESTER_REPLIES = [
  'Thanks, I tried that and it still happens.',
  'That fixed it, thank you!',
  'Any update on this? It is still affecting me.',
  'Here are the details you asked for: it happened at 09:40 and again at 11:15 today.',
  'I will try again tomorrow morning and report back.',
  'Unfortunately the workaround does not help in my case.',
  'It seems to work now, but I will keep an eye on it.',
  'Can someone call me? It is easier to show than to explain.',
  'I restarted as suggested, same result.',
  'Great, that was quick. Much appreciated.',
];
const AGENT_REPLIES = [
  'Thanks for reporting this. Could you tell me which version you are on (Help → About)?',
  'I have reset the setting on our side; please try again and let me know.',
  'We are aware of the issue and a fix is being rolled out today. I will update this ticket when it is done.',
  'Could you send a screenshot of the full error message, including the time in the corner?',
  'I have escalated this to the network team and will follow up once I hear back.',
  'Please sign out, clear the browser cache and sign in again. That resolves this in most cases.',
  'The change has been applied. It can take up to an hour to reach every device.',
  'I could reproduce this here, thanks. We are looking into it.',
  'Following up: is this still happening for you after the update?',
  'Marking this as waiting on you; reply here whenever you have had a chance to test.',
];
const NOTES = [
  "Internal: same root cause as last week's outage, linking for the postmortem.",
  'Checked the logs: the token expired at 09:38, client did not refresh.',
  'Customer is on the enterprise plan, keep an eye on the SLA.',
  'Vendor case opened, reference in the shared sheet.',
  'Do not refund yet, waiting for finance to confirm the duplicate charge.',
  'Known issue with the docking firmware; replacement unit ordered.',
  'Asked networking about the AP in room B, they will check the channel config.',
  'Escalated to tier 2, Kwame owns it from here.',
];
const TAG_SETS = [
  '[]',
  '[]',
  '[]',
  '["vpn"]',
  '["billing"]',
  '["billing","refund"]',
  '["hardware"]',
  '["access"]',
  '["email"]',
  '["network","vpn"]',
  '["mobile"]',
  '["api","integration"]',
  '["onboarding"]',
  '["sso"]',
];

/** SLA targets by priority (ms), as workers/lexicon/status.ts: first response, resolution. */
const SLA = { urgent: [1 * HOUR, 8 * HOUR], high: [4 * HOUR, 2 * DAY], normal: [1 * DAY, 5 * DAY], low: [3 * DAY, 14 * DAY] };

/**
 * The seed SQL. `now` fixes the clock: tickets are created one every 25 minutes up
 * to `now` (10,000 of them span about 174 days), so due dates and the "Overdue" queue
 * look like a real backlog. Status buckets (by hash of the id, of 20): 2 new, 5 open,
 * 3 pending, 4 resolved, 6 closed.
 */
export function lexiconSeedSql({ now, passwordHash: hash }) {
  const step = 1_500_000; // 25 minutes between tickets
  // A ticket's story (first response, pending, resolved, closed, comments) plays out
  // over its first 10 days; a younger ticket's story is squeezed into its age, so
  // nothing happens after `now` and the order of events is kept.
  const SPAN = 10 * DAY;
  const after = (t, offset) => `(${t}.created_at + (${offset}) * min(${now} - ${t}.created_at, ${SPAN}) / ${SPAN})`;
  const bucket = (id) => `(${h(id, 5)} % 20)`;
  // When each status change happened.
  const at = {
    open: (t) => after(t, `${HOUR} + ${h(`${t}.id`, 9)} % ${3 * HOUR}`),
    pending: (t) => after(t, DAY),
    resolved: (t) => after(t, 3 * DAY),
    closed: (t) => after(t, SPAN),
  };
  const users = [
    ...STAFF,
    ...MEMBERS.map((name) => [
      name,
      `${name
        .split(' ')[0]
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z]/g, '')}@example.com`,
      'member',
    ]),
  ];
  const priorityCase = (r) => `CASE WHEN ${r} = 0 THEN 'urgent' WHEN ${r} < 5 THEN 'high' WHEN ${r} < 16 THEN 'normal' ELSE 'low' END`;
  const slaCase = (p, which) =>
    `CASE ${p} ${Object.entries(SLA)
      .map(([k, v]) => `WHEN '${k}' THEN ${v[which]}`)
      .join(' ')} END`;

  return `-- Generated by bench/lexicon-seed.mjs for \`npm run bench\` (Lexicon at ${TICKETS} tickets / ${COMMENTS} comments).

INSERT INTO users (id, email, display_name, password_hash, role, created_at, updated_at) VALUES
${users.map(([name, email, role], i) => `  (${i + 1}, ${quote(email)}, ${quote(name)}, ${quote(hash)}, '${role}', ${now - 200 * DAY}, ${now - 200 * DAY})`).join(',\n')};

-- Tickets, all created as 'new' (tickets_start_new) with an assignee for 70% (staff only:
-- tickets_assignee_is_staff_insert). Tags go in the column; tickets_tags_insert fills the index.
WITH RECURSIVE
  seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${TICKETS}),
  ${table('subjects', SUBJECTS)},
  ${table('openers', OPENERS)},
  ${table('details', DETAILS)},
  ${table('closers', CLOSERS)},
  ${table('tagsets', TAG_SETS)},
  t AS (
    SELECT n,
           ${now} - (${TICKETS + 1} - n) * ${step} + ${h('n', 6)} % ${step / 2} AS created_at,
           ${priorityCase(`(${h('n', 2)} % 20)`)} AS priority,
           ${MEMBER_IDS.first} + ${h('n', 1)} % ${MEMBER_IDS.count} AS creator_id,
           CASE WHEN ${h('n', 3)} % 10 < 3 THEN NULL ELSE ${AGENT_IDS.first} + ${h('n', 4)} % ${AGENT_IDS.count} END AS assignee_id
      FROM seq)
INSERT INTO tickets (id, subject, body, priority, tags, creator_id, assignee_id, created_at, updated_at, first_response_due_at, resolution_due_at)
SELECT t.n,
       (SELECT s FROM subjects WHERE i = ${h('t.n', 7)} % ${SUBJECTS.length}),
       (SELECT s FROM openers WHERE i = ${h('t.n', 8)} % ${OPENERS.length}) || char(10) || char(10)
         || (SELECT s FROM details WHERE i = ${h('t.n', 10)} % ${DETAILS.length}) || ' '
         || (SELECT s FROM details WHERE i = ${h('t.n', 11)} % ${DETAILS.length}) || char(10) || char(10)
         || (SELECT s FROM closers WHERE i = ${h('t.n', 12)} % ${CLOSERS.length}),
       t.priority,
       (SELECT s FROM tagsets WHERE i = ${h('t.n', 13)} % ${TAG_SETS.length}),
       t.creator_id, t.assignee_id, t.created_at, t.created_at,
       t.created_at + ${slaCase('t.priority', 0)},
       t.created_at + ${slaCase('t.priority', 1)}
  FROM t;

-- Comments: each goes to ticket 1 + hash % ${TICKETS} (0–16 per ticket, mean 5), in its first
-- 10 days. One in five is an internal note by staff; public ones alternate between the
-- requester and staff.
-- Inserted in time order, so ids grow with created_at as in real use; the FTS trigger
-- appends each to its ticket's search row.
WITH RECURSIVE
  seq(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM seq WHERE m < ${COMMENTS}),
  ${table('requester', REQUESTER_REPLIES)},
  ${table('agent', AGENT_REPLIES)},
  ${table('note', NOTES)},
  c AS (
    SELECT m, 1 + ${h('m', 21)} % ${TICKETS} AS ticket_id, ${h('m', 22)} AS r FROM seq),
  k AS (
    SELECT c.ticket_id, c.r,
           CASE WHEN c.r % 5 = 0 THEN 'note' WHEN (c.r / 5) % 2 = 0 THEN 'requester' ELSE 'agent' END AS kind,
           t.creator_id, coalesce(t.assignee_id, ${AGENT_IDS.first} + c.r % ${AGENT_IDS.count}) AS staff_id,
           ${after('t', `(1 + c.r % ${SPAN / 60000}) * 60000`)} AS created_at
      FROM c JOIN tickets t ON t.id = c.ticket_id)
INSERT INTO lexicon_comments (ticket_id, author_id, body, internal, created_at)
SELECT ticket_id,
       iif(kind = 'requester', creator_id, staff_id),
       CASE kind
         WHEN 'requester' THEN (SELECT s FROM requester WHERE i = (r / 10) % ${REQUESTER_REPLIES.length})
         WHEN 'agent' THEN (SELECT s FROM agent WHERE i = (r / 10) % ${AGENT_REPLIES.length})
         ELSE (SELECT s FROM note WHERE i = (r / 10) % ${NOTES.length}) END,
       iif(kind = 'note', 1, 0),
       created_at
  FROM k
 ORDER BY created_at, ticket_id, r;

-- The lifecycle, one legal move at a time (tickets_lifecycle checks each against
-- lexicon_transitions; tickets_version wants version + 1 on every UPDATE):
-- new → open (18 of 20) → pending (3) | resolved (10) → closed (6).
UPDATE tickets SET status = 'open', version = version + 1,
       first_responded_at = ${at.open('tickets')}, updated_at = ${at.open('tickets')}
 WHERE ${bucket('id')} >= 2;
UPDATE tickets SET status = 'pending', version = version + 1, updated_at = ${at.pending('tickets')}
 WHERE ${bucket('id')} BETWEEN 7 AND 9;
UPDATE tickets SET status = 'resolved', version = version + 1,
       resolved_at = ${at.resolved('tickets')}, updated_at = ${at.resolved('tickets')}
 WHERE ${bucket('id')} >= 10;
UPDATE tickets SET status = 'closed', version = version + 1, updated_at = ${at.closed('tickets')}
 WHERE ${bucket('id')} >= 14;
-- Last activity: a comment after the last status change moves the ticket up its queue.
UPDATE tickets SET version = version + 1,
       updated_at = (SELECT max(created_at) FROM lexicon_comments WHERE ticket_id = tickets.id)
 WHERE (SELECT max(created_at) FROM lexicon_comments WHERE ticket_id = tickets.id) > updated_at;

-- The audit trail the app would have written (the ticket pane shows it as history),
-- in time order: creation, assignment, each status change, each comment and note.
-- (D1 allows at most 5 terms in one compound SELECT, hence the two nested groups.)
INSERT INTO lexicon_audit (ticket_id, actor_id, action, from_value, to_value, request_id, created_at)
SELECT ticket_id, actor_id, action, from_value, to_value, NULL, at FROM (
  SELECT * FROM (
    SELECT id AS ticket_id, creator_id AS actor_id, 'create' AS action, NULL AS from_value, 'new' AS to_value, created_at AS at, 0 AS seq FROM tickets
    UNION ALL SELECT id, assignee_id, 'assign', NULL, CAST(assignee_id AS TEXT), created_at + 60000, 1 FROM tickets WHERE assignee_id IS NOT NULL
    UNION ALL SELECT id, coalesce(assignee_id, ${AGENT_IDS.first}), 'status', 'new', 'open', first_responded_at, 2 FROM tickets WHERE status <> 'new'
    UNION ALL SELECT id, coalesce(assignee_id, ${AGENT_IDS.first}), 'status', 'open', 'pending', ${at.pending('tickets')}, 3 FROM tickets WHERE status = 'pending')
  UNION ALL SELECT * FROM (
    SELECT id, coalesce(assignee_id, ${AGENT_IDS.first}), 'status', 'open', 'resolved', resolved_at, 4 FROM tickets WHERE status IN ('resolved', 'closed')
    UNION ALL SELECT id, coalesce(assignee_id, ${AGENT_IDS.first}), 'status', 'resolved', 'closed', ${at.closed('tickets')}, 5 FROM tickets WHERE status = 'closed'
    UNION ALL SELECT ticket_id, author_id, iif(internal = 1, 'note', 'comment'), NULL, NULL, created_at, 6 FROM lexicon_comments)
) ORDER BY at, ticket_id, seq;
`;
}

/**
 * A query whose one row says whether the trigger-kept counts agree with a recount of
 * the tickets (lexicon_counts by status and 'unassigned', lexicon_assignee_counts),
 * plus the totals seeded. Run after the seed.
 */
export const RECOUNT_SQL = `
SELECT
  (SELECT count(*) FROM tickets) AS tickets,
  (SELECT count(*) FROM lexicon_comments) AS comments,
  (SELECT count(*) FROM lexicon_comments WHERE internal = 1) AS notes,
  (SELECT count(*) FROM lexicon_audit) AS audit_rows,
  (SELECT json_group_object(queue, n) FROM lexicon_counts) AS counts,
  (SELECT count(*) FROM lexicon_counts k WHERE k.n <> CASE k.queue
      WHEN 'unassigned' THEN (SELECT count(*) FROM tickets WHERE assignee_id IS NULL AND status IN ('new', 'open', 'pending'))
      ELSE (SELECT count(*) FROM tickets WHERE status = k.queue) END) AS count_mismatches,
  (SELECT count(*) FROM (
      SELECT assignee_id, status, count(*) AS n FROM tickets WHERE assignee_id IS NOT NULL GROUP BY assignee_id, status
      EXCEPT SELECT assignee_id, status, n FROM lexicon_assignee_counts WHERE n > 0)) +
  (SELECT count(*) FROM (
      SELECT assignee_id, status, n FROM lexicon_assignee_counts WHERE n > 0
      EXCEPT SELECT assignee_id, status, count(*) FROM tickets WHERE assignee_id IS NOT NULL GROUP BY assignee_id, status)) AS assignee_mismatches,
  (SELECT count(*) FROM lexicon_search) AS search_rows,
  (SELECT count(*) FROM tickets t WHERE t.tags <> '[]' AND (SELECT count(*) FROM lexicon_ticket_tags g WHERE g.ticket_id = t.id) <> json_array_length(t.tags)) AS tag_mismatches;
`;

/**
 * The ticket the benchmark opens: the most recently active open ticket with 8–12
 * comments, at least one an internal note (a longer conversation than the mean of 5),
 * with what its pane shows.
 */
export const SAMPLE_TICKET_SQL = `
SELECT t.id, t.status,
       (SELECT count(*) FROM lexicon_comments WHERE ticket_id = t.id) AS comments,
       (SELECT count(*) FROM lexicon_comments WHERE ticket_id = t.id AND internal = 1) AS notes,
       (SELECT count(*) FROM lexicon_audit WHERE ticket_id = t.id) AS history
  FROM tickets t
 WHERE t.status = 'open' AND (SELECT count(*) FROM lexicon_comments WHERE ticket_id = t.id) BETWEEN 8 AND 12
   AND EXISTS (SELECT 1 FROM lexicon_comments WHERE ticket_id = t.id AND internal = 1)
 ORDER BY t.updated_at DESC, t.id DESC
 LIMIT 1;
`;
