/** Every way Oracle refuses a request, with its status and what a person reads. */
import type { RefusalTable } from '../../shared/http/refusal';
import { MAX_FILE_BYTES_PER_OWNER, MAX_MESSAGE_BYTES, MAX_RECIPIENTS, MAX_SWITCHES, TEST_EVERY_MS } from './repository';

export type OracleRefusal =
  | 'missing'
  | 'recipient_missing'
  | 'message_missing'
  | 'link_invalid'
  | 'link_used'
  | 'already_triggered'
  | 'changed'
  | 'too_many_switches'
  | 'too_many_recipients'
  | 'fired'
  | 'needs_javascript'
  | 'test_too_soon'
  | 'postpone_invalid'
  | 'postpone_spent'
  | 'postponed_already'
  | 'fired_kept'
  | 'storage_full'
  | 'duplicate_recipient'
  | 'confirm_remove'
  | 'unreadable_message'
  | 'empty_message'
  | 'storage_unavailable';

export const REFUSALS: RefusalTable<OracleRefusal> = {
  // Someone else's switch is the same 404 as one that does not exist.
  missing: { status: 404, message: 'There is no switch of yours at this address.' },
  recipient_missing: { status: 404, message: 'There is no recipient of yours at this address.' },
  // Before dispatch a message is the same 404 as one that does not exist: no one learns it is there.
  message_missing: { status: 404, message: 'There is no message at this address (yet). If you were sent one, use the link from that email or webhook.' },
  link_invalid: { status: 404, message: 'This check-in link does not work. Sign in and check in from your switch’s page.' },
  link_used: { status: 409, message: 'This check-in link has been used: you have checked in since it was sent. Nothing more to do.' },
  already_triggered: { status: 409, message: 'This switch has already fired: checking in cannot stop messages that went out. Its page shows what was sent.' },
  changed: { status: 409, message: 'The switch changed while you were looking (a check-in, or the dispatcher). Look again and retry.' },
  too_many_switches: { status: 409, message: `You have ${MAX_SWITCHES} switches: delete one to make another.` },
  too_many_recipients: { status: 409, message: `A switch has at most ${MAX_RECIPIENTS} recipients.` },
  fired: { status: 409, message: 'This switch has fired: its recipients and messages can no longer change.' },
  duplicate_recipient: { status: 409, message: 'That address is a recipient of this switch already.', field: 'target' },
  storage_unavailable: { status: 503, message: 'The attachments could not be stored just now. Nothing was saved: try again in a minute.' },
  empty_message: { status: 422, message: 'The message is empty: write something before you save it.' },
  unreadable_message: {
    status: 422,
    message: 'This message was to be readable by Oracle without a key card, but the key sent does not open it. Reload the page and seal it again.',
  },
  confirm_remove: { status: 422, message: 'Tick “and their message” to remove a recipient with a sealed message: its key card stops working.' },
  storage_full: {
    status: 409,
    message: `Your sealed messages together may take ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB, and their attachments ${MAX_FILE_BYTES_PER_OWNER / 1024 / 1024} MiB, and this one does not fit: shorten it or leave out an attachment, or remove a message you no longer need.`,
  },
  fired_kept: {
    status: 409,
    message:
      'A switch that has fired is kept for 30 days, so its recipients can still open their messages: firing cannot be undone. You can delete it after that.',
  },
  postpone_invalid: { status: 404, message: 'This postpone link does not work.' },
  postpone_spent: { status: 409, message: 'This postpone link is no longer needed: the owner has checked in since it was sent. Nothing to do.' },
  postponed_already: { status: 409, message: 'This switch has been postponed once already this time: it cannot be postponed again until its owner checks in.' },
  test_too_soon: {
    status: 429,
    message: `A switch can be tested once every ${TEST_EVERY_MS / 60_000} minutes: the last test is on its way (see the delivery log).`,
  },
  needs_javascript: {
    status: 422,
    message: 'Writing a sealed message needs JavaScript: it is encrypted in your browser, so this server never sees it. Turn JavaScript on for this page.',
  },
};
