-- Oracle: dead man's switches, their recipients and sealed messages, and the outbox
-- of deliveries the dispatcher (the cron, workers/oracle/dispatch.ts) sends.
-- workers/oracle/SECURITY.md explains what is stored and why it cannot be read.
CREATE TABLE oracle_switches (
  id TEXT PRIMARY KEY CHECK (length(id) = 22),
  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  -- Check in at least this often (1 hour to 366 days); then `grace_ms` more before it fires.
  interval_ms INTEGER NOT NULL CHECK (interval_ms BETWEEN 3600000 AND 31622400000),
  grace_ms INTEGER NOT NULL CHECK (grace_ms >= 0 AND grace_ms <= interval_ms),
  -- Warnings to the owner, as ms before the deadline, largest first (JSON array, at most 5, each < the interval).
  ladder TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(ladder) AND json_type(ladder) = 'array' AND json_array_length(ladder) <= 5),
  state TEXT NOT NULL DEFAULT 'armed' CHECK (state IN ('armed', 'warning', 'grace', 'triggered', 'paused', 'completed')),
  checked_in_at INTEGER NOT NULL,
  -- checked_in_at + interval_ms + postponed_ms: when grace starts (and it fires grace_ms later).
  deadline_at INTEGER NOT NULL,
  -- The trusted contact: an email address told when grace starts, who may postpone the
  -- deadline once a cycle, by 3 days, without seeing anything else. NULL: none.
  trusted_contact TEXT CHECK (trusted_contact IS NULL OR length(trusted_contact) BETWEEN 3 AND 254),
  -- What the contact's postponement added to this cycle's deadline (0: not used; a check-in resets it).
  postponed_ms INTEGER NOT NULL DEFAULT 0 CHECK (postponed_ms >= 0),
  -- The next moment the dispatcher must act (a warning rung, the deadline, the end of
  -- grace, the end of a pause); NULL once it has fired. The dispatcher's one index.
  due_at INTEGER,
  -- Warning rungs passed in this cycle (sent, or skipped as stale).
  rung INTEGER NOT NULL DEFAULT 0 CHECK (rung >= 0),
  -- Check-ins so far: warnings are keyed by cycle and rung, so each goes out once.
  cycle INTEGER NOT NULL DEFAULT 0,
  -- Times it has fired: message deliveries are keyed by it.
  trigger_seq INTEGER NOT NULL DEFAULT 0,
  paused_until INTEGER,
  triggered_at INTEGER,
  -- The address the owner uses (https://…): links in mail and webhooks point there.
  origin TEXT NOT NULL CHECK (length(origin) <= 200),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (deadline_at = checked_in_at + interval_ms + postponed_ms),
  CHECK (trusted_contact IS NULL OR grace_ms > 0),
  CHECK (state <> 'paused' OR paused_until IS NOT NULL),
  CHECK ((state IN ('triggered', 'completed')) = (due_at IS NULL)),
  CHECK (state NOT IN ('triggered', 'completed') OR triggered_at IS NOT NULL)
) STRICT;

-- The dispatcher reads only what is due: rows read ≈ rows due (the benchmark counts them).
CREATE INDEX oracle_switches_due ON oracle_switches (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX oracle_switches_owner ON oracle_switches (owner_id, created_at);
-- Fired switches whose deliveries are still going out.
CREATE INDEX oracle_switches_triggered ON oracle_switches (state) WHERE state = 'triggered';

CREATE TABLE oracle_recipients (
  id TEXT PRIMARY KEY CHECK (length(id) = 22),
  switch_id TEXT NOT NULL REFERENCES oracle_switches(id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  -- An email address, or an https:// URL (checked by shared/http/outbound.ts).
  target TEXT NOT NULL CHECK (length(target) BETWEEN 3 AND 2048),
  -- A webhook's signing secret (Standard Webhooks, `whsec_…`), wrapped with ORACLE_WRAP_KEY; NULL for email.
  webhook_secret TEXT,
  -- The id of this recipient's message (its AAD and its open link), fixed when the recipient is added.
  message_id TEXT NOT NULL UNIQUE CHECK (length(message_id) = 22),
  created_at INTEGER NOT NULL,
  CHECK ((channel = 'webhook') = (webhook_secret IS NOT NULL)),
  -- One recipient per address: a form sent twice (a reload) does not add it again.
  UNIQUE (switch_id, channel, target)
) STRICT;


-- One sealed message per recipient: AES-256-GCM ciphertext made in the owner's browser.
-- The content key is split: the recipient's share never reaches the server; the
-- server's share is stored wrapped with ORACLE_WRAP_KEY. Neither alone decrypts.
CREATE TABLE oracle_messages (
  id TEXT PRIMARY KEY REFERENCES oracle_recipients(message_id) ON DELETE CASCADE,
  switch_id TEXT NOT NULL REFERENCES oracle_switches(id) ON DELETE CASCADE,
  -- base64url: 12-byte IV; ciphertext with its 16-byte tag (≤ 64 KiB together: 65,520 bytes of text).
  iv TEXT NOT NULL CHECK (length(iv) = 16),
  ciphertext TEXT NOT NULL CHECK (length(ciphertext) BETWEEN 22 AND 87382),
  -- The server's share S of the content key, wrapped (AES-GCM under a key derived from ORACLE_WRAP_KEY).
  server_share TEXT NOT NULL,
  -- Characters of plaintext (so the owner sees what is there); never the text.
  length INTEGER NOT NULL CHECK (length BETWEEN 1 AND 65520),
  updated_at INTEGER NOT NULL
) STRICT;

-- The outbox. A row per thing to send, written in the same batch as the state change
-- that makes it due; its idempotency key is unique, so a repeated run adds nothing.
-- Claimed with a lease, sent, and marked sent only if the lease still holds.
CREATE TABLE oracle_deliveries (
  id INTEGER PRIMARY KEY,
  switch_id TEXT NOT NULL REFERENCES oracle_switches(id) ON DELETE CASCADE,
  -- message: a recipient's message; warning: a rung of the ladder; overdue: the
  -- deadline passed (grace began); fired: the owner's notice; dead: a delivery gave up;
  -- test: "test this switch" (the owner's summary, and a ping to each webhook).
  -- contact: the trusted contact's notice (grace began); postponed: the owner told that the contact postponed.
  kind TEXT NOT NULL CHECK (kind IN ('message', 'warning', 'overdue', 'fired', 'dead', 'test', 'contact', 'postponed')),
  recipient_id TEXT REFERENCES oracle_recipients(id) ON DELETE SET NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  target TEXT NOT NULL,
  -- What the notice says beyond its kind (JSON: the rung's time left, the failed delivery…).
  detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_token TEXT,
  lease_until INTEGER,
  last_error TEXT CHECK (last_error IS NULL OR length(last_error) <= 300),
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  CHECK ((state = 'sending') = (lease_token IS NOT NULL))
) STRICT;

-- What is waiting to go out, oldest first.
CREATE INDEX oracle_deliveries_due ON oracle_deliveries (next_attempt_at) WHERE state IN ('pending', 'sending');
CREATE INDEX oracle_deliveries_switch ON oracle_deliveries (switch_id, id);

-- The development outbox (ORACLE_EMAIL=log): mail recorded instead of sent, shown to
-- admins at /oracle/outbox. Keyed like the provider would be: a repeat is absorbed.
CREATE TABLE oracle_mail (
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
