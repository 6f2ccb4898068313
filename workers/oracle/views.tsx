/**
 * Oracle's pages. Plain forms that work without JavaScript, except sealing and
 * opening a message: those happen in the browser (oracle-crypto.js) by design, and
 * the pages say so when JavaScript is off.
 */
import type { Child } from 'hono/jsx';
import { TWO_FACTOR_SETTINGS } from '../../shared/auth/second-step';
import { Field, FormError, SelectField, Time } from '../../shared/html/components';
import { CsrfField } from '../../shared/html/layout';
import { formatBytes } from '../../shared/http/security';
import type { FieldErrors } from '../../shared/http/http-error';
import { asset } from '../assets';
import { deadlineOf, describeDuration, firesAt, POSTPONE_MS, type SwitchState } from './lifecycle';
import { MAX_ATTEMPTS } from './dispatch';
import { paths } from './paths';
import { type DeliveryRow, FIRED_KEPT_MS, type MailRow, type RecipientRow, type SwitchRow } from './repository';
import { formatDuration } from './schema';

export const ORACLE_ASSETS = { styles: [asset('/oracle.css')], scripts: [asset('/oracle-crypto.js'), asset('/oracle.js')] };

const STATE_LABELS: Record<SwitchState, string> = {
  armed: 'Armed',
  warning: 'Warning',
  grace: 'In grace',
  triggered: 'Fired',
  paused: 'Paused',
  // Every delivery settled: sent, or given up (the delivery log says which).
  completed: 'Fired (nothing left to send)',
};

/** An exact moment, always absolute (a deadline reads badly as "in 2 hours" next to "2 hours"). */
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function StateBadge({ state }: { state: SwitchState }) {
  return <span class={`badge oracle-state oracle-${state}`}>{STATE_LABELS[state]}</span>;
}

/** Time left before the switch fires, as a bar and words. */
function TimeLeft({ s, now }: { s: SwitchRow; now: number }) {
  if (s.state === 'paused') {
    return (
      <p>
        Paused until <Time ms={s.pausedUntil} />: no warnings, no deadline. It resumes by itself then, as if you checked in.
      </p>
    );
  }
  if (s.state === 'triggered' || s.state === 'completed') {
    return (
      <p>
        Fired <Time ms={s.triggeredAt} />.
      </p>
    );
  }
  const fires = firesAt(s);
  const deadline = deadlineOf(s);
  const total = fires - s.checkedInAt;
  const left = Math.max(0, fires - now);
  const id = `left-${s.id}`;
  return (
    <div class="oracle-left">
      <p id={id}>
        {s.state === 'grace' ? (
          <>
            Deadline passed: it fires in <strong>{describeDuration(left)}</strong> <span class="muted">({utc(fires)})</span> unless you check in.
          </>
        ) : (
          <>
            Check in within <strong>{describeDuration(Math.max(0, deadline - now))}</strong> <span class="muted">(by {utc(deadline)})</span>
            {s.graceMs > 0 ? `; after that it waits ${describeDuration(s.graceMs)} (grace), then fires.` : ', or it fires.'}
          </>
        )}
      </p>
      <progress max={total} value={left} aria-labelledby={id}>
        {Math.round((left / total) * 100)}%
      </progress>
    </div>
  );
}

function CheckInButton({ s, csrf, big }: { s: SwitchRow; csrf: string; big?: boolean }) {
  if (s.state === 'triggered' || s.state === 'completed') return null;
  return (
    <form method="post" action={paths.checkin(s.id)} class="inline">
      <CsrfField token={csrf} />
      <button type="submit" class={big ? 'oracle-checkin' : undefined}>
        {s.state === 'paused' ? 'Check in and resume' : 'Check in'}
      </button>
    </form>
  );
}

export type SettingsValues = { name?: unknown; interval?: unknown; grace?: unknown; warnings?: unknown; contact?: unknown };

function SettingsFields({ values, errors }: { values: SettingsValues; errors: FieldErrors }) {
  return (
    <>
      <Field label="Name" name="name" value={values.name} error={errors.name} maxlength={80} required />
      <Field
        label="Check in at least every"
        name="interval"
        value={values.interval}
        error={errors.interval}
        hint="Hours, days or weeks: 12h, 30d, 2w (1 hour to 366 days)."
        required
      />
      <Field label="Then wait (grace period)" name="grace" value={values.grace} error={errors.grace} hint="Before it fires: 0h to the interval, e.g. 2d." />
      <Field
        label="Warn me before the deadline"
        name="warnings"
        value={values.warnings}
        error={errors.warnings}
        hint="Up to 5, by email to you, e.g. 7d, 3d, 1d. Each must be shorter than the interval."
      />
      <Field
        label="Trusted contact (optional)"
        name="contact"
        type="email"
        value={values.contact}
        error={errors.contact}
        autocomplete="off"
        hint={`An email address. When the grace period starts they are told, and may postpone the switch once, by ${describeDuration(POSTPONE_MS)}. They see no message and no recipient.`}
      />
    </>
  );
}

export const settingsValues = (s: SwitchRow): SettingsValues => ({
  name: s.name,
  interval: formatDuration(s.intervalMs),
  grace: formatDuration(s.graceMs),
  warnings: s.ladder.map(formatDuration).join(', '),
  contact: s.trustedContact ?? '',
});

export function HomePage(props: {
  signedIn: boolean;
  /** Whether the account signs in with two-factor (if not, the page nudges). */
  twoFactor: boolean;
  /** For an admin: deliveries that gave up in the last week, on anyone's switch. */
  failed: number;
  /** An admin of an instance whose mail is recorded, not sent: gets a link to the outbox. */
  outbox: boolean;
  switches: Array<SwitchRow & { messages?: number }>;
  now: number;
  csrf: string;
  values?: SettingsValues;
  errors?: FieldErrors;
  notice?: string | undefined;
}) {
  const errors = props.errors ?? {};
  return (
    <div class="stack-lg oracle">
      <header class="page-header">
        <h1>Oracle</h1>
        <p class="lede">
          A dead man’s switch. Check in now and then; if you stop, your sealed messages go to the people you chose. They are encrypted in your browser and this
          server cannot read them, before or after.
        </p>
      </header>
      {props.notice && (
        <p class="notice notice-success" role="status">
          {props.notice}
        </p>
      )}
      {props.signedIn && !props.twoFactor && (
        <p class="notice notice-warn two-factor-nudge">
          Your account guards your switches: with your password alone, someone could pause or delete them, or check in for you.{' '}
          <a href={TWO_FACTOR_SETTINGS}>Turn on two-factor sign-in</a> so a code from your phone is needed too.
        </p>
      )}
      {props.failed > 0 && (
        <p class="notice notice-warn">
          {props.failed === 1 ? 'A delivery' : `${props.failed} deliveries`} gave up in the last week (their owners were told):{' '}
          <a href={paths.failed}>see what failed and why</a>.
        </p>
      )}
      {props.outbox && (
        <p class="notice notice-info">
          Mail is recorded here, not sent (ORACLE_EMAIL=log): read it in the <a href={paths.outbox}>development outbox</a>.
        </p>
      )}
      {!props.signedIn ? (
        <p class="notice notice-info">
          <a href={`/signin?next=${encodeURIComponent(paths.home)}`}>Sign in</a> or <a href="/signup">create an account</a> to set up a switch.
        </p>
      ) : (
        <>
          <section class="stack" aria-labelledby="your-switches">
            <h2 id="your-switches">Your switches</h2>
            {props.switches.length === 0 ? (
              <p class="muted">None yet: make one below.</p>
            ) : (
              <ul class="oracle-switches">
                {props.switches.map((s) => (
                  <li class="panel stack">
                    <div class="oracle-row">
                      <h3>
                        <a href={paths.switch(s.id)}>{s.name}</a>
                      </h3>
                      <StateBadge state={s.state} />
                    </div>
                    <TimeLeft s={s} now={props.now} />
                    {s.messages === 0 && s.state !== 'triggered' && s.state !== 'completed' && (
                      <p class="oracle-missing">No sealed messages yet: if it fires, no one gets anything.</p>
                    )}
                    <p class="muted small">
                      Last check-in <Time ms={s.checkedInAt} />.
                    </p>
                    <CheckInButton s={s} csrf={props.csrf} big />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section class="panel stack" aria-labelledby="new-switch">
            <h2 id="new-switch">New switch</h2>
            {/* The fragment brings a refused form's page back to the form (and its messages). */}
            <form method="post" action={`${paths.switches}#new-switch`} class="stack" novalidate>
              <CsrfField token={props.csrf} />
              <FormError message={errors._} />
              <SettingsFields values={props.values ?? { interval: '30d', grace: '2d', warnings: '7d, 3d, 1d' }} errors={errors} />
              <p class="actions">
                <button type="submit">Create switch</button>
              </p>
            </form>
            <p class="muted small">
              Then add recipients and write their messages. Your account guards them: use a strong, unique password, and two-factor sign-in.
            </p>
          </section>
        </>
      )}
    </div>
  );
}

const KIND_LABELS: Record<DeliveryRow['kind'], string> = {
  message: 'Message',
  warning: 'Warning to you',
  overdue: 'Overdue notice to you',
  fired: '“Fired” notice to you',
  dead: 'Failure notice to you',
  test: 'Test',
  contact: 'Notice to your trusted contact',
  postponed: '“Postponed” notice to you',
};

/** The same kinds as an admin reads them (the owner is someone else). */
const ADMIN_KIND_LABELS: Record<DeliveryRow['kind'], string> = {
  message: 'Message',
  warning: 'Warning to the owner',
  overdue: 'Overdue notice to the owner',
  fired: '“Fired” notice to the owner',
  dead: '“Gave up” notice to the owner',
  test: 'Test',
  contact: 'Notice to the trusted contact',
  postponed: '“Postponed” notice to the owner',
};

export function SwitchPage(props: {
  s: SwitchRow;
  now: number;
  recipients: RecipientRow[];
  deliveries: DeliveryRow[];
  csrf: string;
  notice?: string | undefined;
  /** A refused owner-webhook URL, shown again in its field. */
  ownerWebhookValue?: string | undefined;
  /** A webhook's secret, shown once: a recipient's (by name), or the owner's own (name null). */
  webhookSecret?: { name: string | null; secret: string } | undefined;
  recipientValues?: Record<string, unknown>;
  errors?: FieldErrors;
}) {
  const { s, csrf } = props;
  const errors = props.errors ?? {};
  const fired = s.state === 'triggered' || s.state === 'completed';
  const withoutMessage = props.recipients.filter((r) => r.messageLength === null).length;
  return (
    <div class="stack-lg oracle">
      <p>
        <a href={paths.home}>← Your switches</a>
      </p>
      <header class="page-header oracle-row">
        <h1>{s.name}</h1>
        <StateBadge state={s.state} />
      </header>
      {props.notice && (
        <p class="notice notice-success" role="status">
          {props.notice}
        </p>
      )}
      {props.webhookSecret && (
        <div class="notice notice-warn stack" role="status">
          <p>
            The signing secret of{' '}
            {props.webhookSecret.name === null ? (
              'your own webhook'
            ) : (
              <>
                <strong>{props.webhookSecret.name}</strong>’s webhook
              </>
            )}
            . Copy it to the receiver now: it is not shown again.
          </p>
          <p>
            <code class="token-value">{props.webhookSecret.secret}</code>
          </p>
          <p class="small">
            Requests carry <code>webhook-id</code>, <code>webhook-timestamp</code> and <code>webhook-signature</code> (Standard Webhooks): verify them with any
            Standard Webhooks library.
          </p>
        </div>
      )}
      <section class="panel stack" aria-labelledby="status">
        <h2 id="status">Status</h2>
        <TimeLeft s={s} now={props.now} />
        <p class="muted small">
          Last check-in <Time ms={s.checkedInAt} /> · every {describeDuration(s.intervalMs)}
          {s.graceMs > 0 ? `, then ${describeDuration(s.graceMs)} of grace` : ''}
          {s.ladder.length > 0 ? ` · warnings ${s.ladder.map(describeDuration).join(', ')} before the deadline` : ''}.
        </p>
        {s.trustedContact && (
          <p class="muted small">
            Trusted contact: {s.trustedContact}
            {s.postponedMs > 0
              ? ` (postponed this deadline by ${describeDuration(s.postponedMs)}; they can again after your next check-in).`
              : ` (told when grace starts; may postpone once, by ${describeDuration(POSTPONE_MS)}).`}
          </p>
        )}
        {!fired && (
          <div class="actions">
            <CheckInButton s={s} csrf={csrf} big />
            <a class="button secondary" href={`${paths.switch(s.id)}/edit`}>
              Edit settings
            </a>
            <form method="post" action={paths.test(s.id)} class="inline">
              <CsrfField token={csrf} />
              <button type="submit" class="secondary">
                Test this switch
              </button>
            </form>
          </div>
        )}
        {!fired && s.state !== 'paused' && (
          <form method="post" action={`${paths.pause(s.id)}#status`} class="oracle-pause">
            <CsrfField token={csrf} />
            <Field
              label="Pause until"
              name="until"
              type="date"
              error={errors.until}
              hint="No warnings and no deadline until then (UTC); it resumes by itself."
            />
            <button type="submit" class="secondary">
              Pause
            </button>
          </form>
        )}
        {s.state !== 'completed' && (
          <form method="post" action={`${paths.ownerWebhook(s.id)}#owner-webhook`} class="stack" id="owner-webhook">
            <CsrfField token={csrf} />
            <FormError message={errors.owner_webhook_form} />
            {s.ownerWebhook ? (
              <p class="muted small">
                Your notices (warnings, overdue, fired) also go to the webhook <code class="break">{s.ownerWebhook}</code>.{' '}
                <input type="hidden" name="url" value="" />
                <button type="submit" class="secondary small">
                  Remove it
                </button>
              </p>
            ) : (
              <>
                <Field
                  label="Also send my notices to a webhook (optional)"
                  name="url"
                  id="f-owner-webhook"
                  type="url"
                  error={errors.owner_webhook}
                  hint="Warnings, overdue and fired notices, as well as by email: signed per Standard Webhooks, with a secret shown once. https and public addresses only."
                  placeholder="https://…"
                  value={props.ownerWebhookValue}
                  maxlength={2048}
                />
                <p class="actions">
                  <button type="submit" class="secondary">
                    Add my webhook
                  </button>
                </p>
              </>
            )}
          </form>
        )}
      </section>
      <section class="panel stack" aria-labelledby="recipients">
        <h2 id="recipients">Recipients</h2>
        {props.recipients.length === 0 ? (
          <p class="muted">No one yet. Add who gets a message if this switch fires.</p>
        ) : (
          <ul class="oracle-recipients">
            {props.recipients.map((r) => (
              <li class="oracle-recipient">
                <div class="oracle-recipient-who">
                  <strong>{r.name}</strong> <span class="muted">· {r.channel === 'email' ? r.target : `webhook ${r.target}`}</span>
                  <br />
                  {r.messageLength === null ? (
                    <span class="oracle-missing">No message yet: nothing is sent to them.</span>
                  ) : (
                    <span class="muted small">
                      {r.messageMode === 'server' ? 'Message readable by Oracle' : 'Sealed message'} ({r.messageLength.toLocaleString('en')} characters
                      {r.files > 0 && `, ${r.files} attachment${r.files === 1 ? '' : 's'} of ${formatBytes(r.fileBytes)}`}), saved{' '}
                      <Time ms={r.messageUpdatedAt} />.
                    </span>
                  )}
                </div>
                {!fired && (
                  <div class="actions">
                    <a class="button secondary" href={paths.message(r.id)}>
                      {r.messageLength === null ? 'Write message' : 'Replace message'}
                    </a>
                    <form method="post" action={paths.removeRecipient(r.id)} class="inline oracle-remove">
                      <CsrfField token={csrf} />
                      {r.messageLength !== null && (
                        <label>
                          <input type="checkbox" name="confirm" value="yes" aria-describedby={errors[`remove_${r.id}`] ? `remove-${r.id}-error` : undefined} />{' '}
                          and their message
                        </label>
                      )}
                      <button type="submit" class="secondary" aria-label={`Remove ${r.name}`}>
                        Remove
                      </button>
                    </form>
                  </div>
                )}
                {errors[`remove_${r.id}`] && (
                  <p class="error oracle-remove-error" id={`remove-${r.id}-error`} role="alert">
                    {errors[`remove_${r.id}`]}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
        {withoutMessage > 0 && !fired && (
          <p class="notice notice-warn">
            {withoutMessage === 1 ? 'One recipient has' : `${withoutMessage} recipients have`} no message: write one, or they get nothing.
          </p>
        )}
        {!fired && (
          <form method="post" action={`${paths.recipients(s.id)}#add-recipient`} class="stack oracle-add" novalidate>
            <h3 id="add-recipient">Add a recipient</h3>
            <CsrfField token={csrf} />
            <FormError message={errors._} />
            <Field label="Their name" name="name" value={props.recipientValues?.name} error={errors.name} maxlength={80} required />
            <SelectField
              label="Send by"
              name="channel"
              value={props.recipientValues?.channel ?? 'email'}
              options={[
                { value: 'email', label: 'Email' },
                { value: 'webhook', label: 'Webhook (signed POST)' },
              ]}
              error={errors.channel}
            />
            <Field
              label="Email address or webhook URL"
              name="target"
              value={props.recipientValues?.target}
              error={errors.target}
              hint="A webhook must be https:// and public; you get its signing secret once."
              required
            />
            <p class="actions">
              <button type="submit">Add recipient</button>
            </p>
          </form>
        )}
      </section>
      <section class="panel stack" aria-labelledby="deliveries">
        <h2 id="deliveries">Delivery log</h2>
        {props.deliveries.length === 0 ? (
          <p class="muted">Nothing sent yet. Warnings to you and, if it fires, the messages appear here with every attempt.</p>
        ) : (
          <div class="table-scroll">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">To</th>
                  <th scope="col">State</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {props.deliveries.map((d) => (
                  <tr>
                    <td>
                      {d.kind === 'message'
                        ? `Message to ${d.recipientName ?? 'a removed recipient'}`
                        : d.kind === 'test' && d.channel === 'webhook'
                          ? `Test event to ${d.recipientName ?? 'a removed recipient'}`
                          : d.kind === 'test'
                            ? 'Test summary to you'
                            : KIND_LABELS[d.kind]}
                    </td>
                    <td class="break">{d.target}</td>
                    <td>
                      {d.state}
                      {d.lastError && <span class="muted small"> · {d.lastError}</span>}
                    </td>
                    <td>{d.attempts}</td>
                    <td>
                      <Time ms={d.sentAt ?? d.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="panel stack" aria-labelledby="delete">
        <h2 id="delete">Delete</h2>
        {fired && (s.state === 'triggered' || (s.triggeredAt ?? 0) + FIRED_KEPT_MS > props.now) ? (
          <p class="muted">
            A switch that has fired is kept 30 days, so its recipients can still open their messages: you can delete it from{' '}
            {utc((s.triggeredAt ?? props.now) + FIRED_KEPT_MS)}
            {s.state === 'triggered' ? ', once its deliveries have ended' : ''}.
          </p>
        ) : (
          <form method="post" action={paths.remove(s.id)} class="stack">
            <CsrfField token={csrf} />
            <div class={`field${errors.confirm ? ' has-error' : ''}`}>
              <label>
                <input type="checkbox" name="confirm" value="yes" /> Delete for good: the switch, its recipients and messages
              </label>
              {errors.confirm && <p class="error">{errors.confirm}</p>}
            </div>
            <p class="actions">
              <button type="submit" class="danger">
                Delete switch
              </button>
            </p>
          </form>
        )}
      </section>
    </div>
  );
}

export function EditPage(props: { s: SwitchRow; csrf: string; values: SettingsValues; errors?: FieldErrors }) {
  const errors = props.errors ?? {};
  return (
    <div class="stack-lg oracle narrow">
      <p>
        <a href={paths.switch(props.s.id)}>← {props.s.name}</a>
      </p>
      <h1>Edit settings</h1>
      <form method="post" action={paths.switch(props.s.id)} class="stack" novalidate>
        <CsrfField token={props.csrf} />
        <FormError message={errors._} />
        <SettingsFields values={props.values} errors={errors} />
        <p class="muted small">
          The deadline counts from your last check-in (<Time ms={props.s.checkedInAt} />) with the new interval.
        </p>
        <p class="actions">
          <button type="submit">Save</button>
          <a class="button secondary" href={paths.switch(props.s.id)}>
            Cancel
          </a>
        </p>
      </form>
    </div>
  );
}

export function MessagePage(props: { recipient: RecipientRow; switchName: string; owner: string; csrf: string; origin: string }) {
  const r = props.recipient;
  return (
    <div class="stack-lg oracle narrow">
      <p>
        <a href={paths.switch(r.switchId)}>← {props.switchName}</a>
      </p>
      <h1>A sealed message for {r.name}</h1>
      <p>
        What you write here is encrypted in this browser before anything is sent. Oracle keeps only the ciphertext and half of its key; the other half is a{' '}
        <strong>key card</strong> that you give {r.name} yourself (print it, or send the link another way). Without the card, no one can read the message: not
        Oracle’s operator, not {r.name} before the switch fires. (If you will not hand out a card, you can choose to let Oracle read the message instead,
        below.)
      </p>
      {r.messageLength !== null && <p class="notice notice-warn">Saving replaces the message you wrote before, and its key card stops working.</p>}
      {/* oracle.js hides this when it runs (a <noscript> would also stay silent when the script fails to load). */}
      <p class="notice notice-error oracle-needs-js">
        Writing a sealed message needs JavaScript: the encryption happens in your browser. Turn JavaScript on for this page.
      </p>
      <form
        method="post"
        action={paths.message(r.id)}
        class="stack"
        id="oracle-seal"
        data-switch={r.switchId}
        data-message={r.messageId}
        data-open={`${props.origin}${paths.open(r.messageId)}`}
        data-back={paths.switch(r.switchId)}
      >
        <CsrfField token={props.csrf} />
        {/* Disabled until oracle.js runs: without it nothing could be sealed, so nothing can be typed and lost. */}
        <fieldset id="oracle-seal-fields" class="oracle-bare" disabled>
          <div class="field">
            <label for="oracle-plaintext">Message</label>
            {/* No name: the text is never part of what the form posts. */}
            <textarea id="oracle-plaintext" rows={12} maxlength={65520} aria-describedby="oracle-plaintext-hint" required></textarea>
            <p class="hint" id="oracle-plaintext-hint">
              Up to 64 KB (65,520 bytes: fewer characters for non-Latin text and emoji). Kept only in this page until you seal it.
            </p>
          </div>
          <div class="field">
            <label for="oracle-files">Attachments (optional)</label>
            {/* No name: the files are sealed in the page, and only their ciphertext is sent. */}
            <input type="file" id="oracle-files" multiple aria-describedby="oracle-files-hint" />
            <p class="hint" id="oracle-files-hint">
              Up to 10 files, 5 MiB together, encrypted here with the message (their names too).
              {r.files > 0 && ` Saving replaces the ${r.files === 1 ? 'attachment' : `${r.files} attachments`} it has now.`}
            </p>
          </div>
          <fieldset>
            <legend>How {r.name} opens it</legend>
            <label class="check">
              <input type="radio" name="mode" value="keycard" checked={r.messageMode !== 'server'} />
              <span>
                With a key card you give them <span class="muted">(recommended: no one else can read the message, not even this server)</span>
              </span>
            </label>
            <label class="check">
              <input type="radio" name="mode" value="server" checked={r.messageMode === 'server'} />
              <span>
                Without a key card: Oracle sends them the text when the switch fires{' '}
                <span class="muted">(weaker: whoever runs this Sixfold could read it)</span>
              </span>
            </label>
          </fieldset>
          <input type="hidden" name="iv" value="" />
          <input type="hidden" name="ciphertext" value="" />
          <input type="hidden" name="server_share" value="" />
          <input type="hidden" name="length" value="" />
          <div id="oracle-seal-status" role="status"></div>
          <p class="actions">
            <button type="submit">Seal and save</button>
          </p>
        </fieldset>
      </form>
      <section id="oracle-readable-saved" class="panel stack" hidden aria-labelledby="readable-saved-title">
        <h2 id="readable-saved-title">Saved, readable by Oracle</h2>
        <p>
          No key card: when the switch fires, Oracle opens the message and sends its text to {r.name}. Until then it is stored encrypted, but whoever runs this
          Sixfold holds its key.
        </p>
        <p class="actions">
          <a class="button" href={paths.switch(r.switchId)}>
            Back to the switch
          </a>
        </p>
      </section>
      <section id="oracle-keycard" class="panel stack oracle-keycard" hidden aria-labelledby="keycard-title">
        <h2 id="keycard-title">Key card for {r.name}</h2>
        <p class="oracle-screen-only">
          Give {r.name} this card now: it exists only in this page. Without it the message cannot be opened; with it alone, nothing can be opened either.
        </p>
        <p class="oracle-print-only">
          {props.owner} left you a sealed message with Sixfold Oracle. If they stop checking in, Oracle emails you a link to it. Open that link, and enter this
          card there (or open the card’s link and paste Oracle’s). Keep this card safe: no one can read the message without it.
        </p>
        <p>
          <strong>Link:</strong> the recipient opens it once Oracle’s email has come (the page then asks for that email’s link).
          <br />
          <code class="token-value" id="oracle-keycard-link"></code>{' '}
          <button type="button" class="small secondary oracle-screen-only" data-copy="#oracle-keycard-link">
            Copy the link
          </button>
        </p>
        <p>
          <strong>Or this code</strong> (64 characters: digits 0–9 and letters a–f), typed in on the page Oracle’s email links to:
          <br />
          <code class="token-value oracle-code" id="oracle-keycard-code"></code>{' '}
          <button type="button" class="small secondary oracle-screen-only" data-copy="#oracle-keycard-code">
            Copy the code
          </button>
        </p>
        <p class="actions">
          <button type="button" id="oracle-print" class="secondary">
            Print the card
          </button>
          <a class="button" href={paths.switch(r.switchId)}>
            I have saved it: back to the switch
          </a>
        </p>
      </section>
    </div>
  );
}

export function CheckinLinkPage(props: { token: string; s: SwitchRow; now: number; csrf: string }) {
  // Fired: a check-in can no longer stop it, so no button that could only fail.
  if (props.s.state === 'triggered' || props.s.state === 'completed') {
    return (
      <div class="stack-lg oracle narrow">
        <h1>{props.s.name} has fired</h1>
        <p class="notice notice-warn">This switch fired before this check-in: its messages went out, and checking in cannot call them back.</p>
        <p>
          <a href={paths.switch(props.s.id)}>See what was sent</a> (sign in as its owner).
        </p>
      </div>
    );
  }
  return (
    <div class="stack-lg oracle narrow">
      <h1>Check in: {props.s.name}</h1>
      <TimeLeft s={props.s} now={props.now} />
      <form method="post" action={paths.checkinLink(props.token)}>
        <CsrfField token={props.csrf} />
        <button type="submit" class="oracle-checkin">
          Check in now
        </button>
      </form>
      <p class="muted small">Opening this page changed nothing: only the button checks in.</p>
    </div>
  );
}

/** The trusted contact's page: whose switch, when it fires, one button. Nothing else about the switch. */
export function PostponePage(props: { token: string; s: SwitchRow; owner: string; csrf: string }) {
  const fired = props.s.state === 'triggered' || props.s.state === 'completed';
  return (
    <div class="stack-lg oracle narrow">
      <h1>Postpone {props.owner}’s switch?</h1>
      {fired ? (
        <p class="notice notice-warn">It has already fired: it can no longer be postponed.</p>
      ) : (
        <>
          <p>
            {props.owner} named you their trusted contact. Their switch fires {utc(firesAt(props.s))} unless they check in. If you know they are well but cannot
            check in, you can postpone it once, by {describeDuration(POSTPONE_MS)}. They will be told.
          </p>
          <form method="post" action={paths.postponeLink(props.token)}>
            <CsrfField token={props.csrf} />
            <button type="submit">Postpone by {describeDuration(POSTPONE_MS)}</button>
          </form>
          <p class="muted small">Opening this page changed nothing: only the button postpones.</p>
        </>
      )}
    </div>
  );
}

export function PostponedPage(props: { s: SwitchRow; owner: string }) {
  return (
    <div class="stack-lg oracle narrow">
      <h1>Postponed</h1>
      <p class="notice notice-success" role="status">
        {props.owner}’s switch now fires {utc(firesAt(props.s))} unless they check in. They have been told.
      </p>
    </div>
  );
}

export function CheckedInPage(props: { s: SwitchRow; now: number }) {
  return (
    <div class="stack-lg oracle narrow">
      <h1>Checked in</h1>
      <p class="notice notice-success" role="status">
        “{props.s.name}” is armed again: the next deadline is <Time ms={deadlineOf(props.s)} />.
      </p>
      <TimeLeft s={props.s} now={props.now} />
    </div>
  );
}

export function OpenPage(props: { messageId: string }) {
  return (
    <div class="stack-lg oracle narrow">
      <h1>A sealed message</h1>
      <p>
        Someone left you this message with Oracle, a dead man’s switch. It is decrypted here, in your browser, from two halves of its key: the link Oracle sent
        you, and the key card you were given. Neither half reaches this server.
      </p>
      <p class="notice notice-error oracle-needs-js">
        Opening the message needs JavaScript: it is decrypted in your browser. Turn JavaScript on for this page.
      </p>
      <form id="oracle-open" class="stack" data-message={props.messageId} data-sealed={paths.sealed(props.messageId)} hidden>
        <Field
          label="Oracle’s link or code"
          name="server"
          hint="The link from the email or webhook that said the switch fired (its part after #s=)."
          autocomplete="off"
        />
        <Field label="Your key card" name="card" hint="The key card’s link, or its 64-character code (digits and letters a–f)." autocomplete="off" />
        <div id="oracle-open-status" role="status"></div>
        <p class="actions">
          <button type="submit">Open the message</button>
        </p>
      </form>
      <section id="oracle-plain" class="panel stack" hidden aria-labelledby="plain-title">
        <h2 id="plain-title">The message</h2>
        <pre class="oracle-plaintext" id="oracle-plaintext-out"></pre>
        <div id="oracle-files-out" class="stack" hidden>
          <h3>Attachments</h3>
          <p class="muted small">Decrypted in this page: save each one.</p>
          <ul id="oracle-files-list" class="plain"></ul>
        </div>
      </section>
    </div>
  );
}

/** For admins: every delivery that gave up, with why (never what it carried). */
export function FailedPage(props: { failed: Array<DeliveryRow & { switchName: string; ownerEmail: string }> }) {
  return (
    <div class="stack-lg oracle">
      <h1>Deliveries that gave up</h1>
      <p>
        After {MAX_ATTEMPTS} attempts Oracle stops trying a delivery and tells the switch’s owner. Here are all of them, newest first: what, to whom, and the
        last error. A provider or webhook that keeps failing shows up here first.
      </p>
      {props.failed.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>To</th>
              <th>Switch (owner)</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {props.failed.map((d) => (
              <tr>
                <td data-label="When">
                  <Time ms={d.createdAt} />
                </td>
                <td data-label="What">
                  {d.kind === 'message' && d.recipientName ? `Message to ${d.recipientName}` : ADMIN_KIND_LABELS[d.kind]} · {d.attempts} attempts
                </td>
                <td data-label="To" class="break">
                  {d.channel} {d.target}
                </td>
                <td data-label="Switch (owner)">
                  {d.switchName} ({d.ownerEmail})
                </td>
                <td data-label="Last error">{d.lastError ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function OutboxPage(props: { mail: MailRow[]; mode: string }) {
  return (
    <div class="stack-lg oracle">
      <h1>Oracle’s development outbox</h1>
      <p>
        {props.mode === 'log'
          ? 'ORACLE_EMAIL is "log": mail is recorded here instead of sent. Set ORACLE_EMAIL=resend (with ORACLE_EMAIL_API_KEY and ORACLE_EMAIL_FROM) to send it.'
          : 'ORACLE_EMAIL is "resend": mail is sent, and only what was recorded before is here.'}
      </p>
      {props.mail.length === 0 ? (
        <p class="muted">No mail yet.</p>
      ) : (
        <ol class="oracle-mail" reversed>
          {props.mail.map((m) => (
            <li class="panel stack">
              <p>
                <strong>{m.subject}</strong>
                <br />
                <span class="muted small">
                  to {m.recipient} · <Time ms={m.createdAt} />
                </span>
              </p>
              <pre class="oracle-mail-body">{linkify(m.body)}</pre>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The body with its https?:// URLs as links (text is escaped by JSX; only the URLs become elements). */
function linkify(text: string): Child[] {
  const out: Child[] = [];
  let at = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s]+/g)) {
    out.push(text.slice(at, m.index));
    out.push(<a href={m[0]}>{m[0]}</a>);
    at = m.index + m[0].length;
  }
  out.push(text.slice(at));
  return out;
}
