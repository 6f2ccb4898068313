/**
 * Every way CodeBin refuses a request, with its status and what a person reads.
 * Repositories and the service return `{ ok: false, reason }` (shared/result.ts);
 * pages and the API both answer it with `refusal(REFUSALS, reason)`, so a full store
 * is the same 507 with the same words from the form, the manage page and curl.
 */
import type { RefusalTable } from '../../shared/http/refusal';

/** 507: CodeBin's storage is at its operator's cap; accounts and the other apps keep working. */
export const FULL_MESSAGE =
  'CodeBin is full: this instance has reached the storage its operator allows for pastes. Existing pastes still work; try again after some expire.';

/** The one 404 of every paste route: no oracle telling "never existed" from "burned" or "expired". */
export const GONE_MESSAGE = 'This paste does not exist, has expired, or was already read and burned.';

export type PasteRefusal =
  | 'gone'
  | 'full'
  | 'daily_limit'
  | 'expiry_not_offered'
  | 'never_needs_account'
  | 'burns_after_reading'
  | 'token_missing'
  | 'token_wrong'
  | 'bearer_wrong';

export const REFUSALS: RefusalTable<PasteRefusal> = {
  gone: { status: 404, message: GONE_MESSAGE },
  full: { status: 507, message: FULL_MESSAGE },
  // The message names the allowance (per address or per account): the caller passes it.
  daily_limit: { status: 429, message: 'You have pasted as much as this instance allows in a day. Try again tomorrow (UTC).' },
  expiry_not_offered: { status: 422, message: 'This CodeBin does not keep pastes that long; choose a shorter expiry.', field: 'expiresIn' },
  never_needs_account: { status: 422, message: 'Pastes that never expire need an account: sign in, or choose an expiry.', field: 'expiresIn' },
  // Raw bytes would let anyone read a burn-after-reading paste without burning it.
  burns_after_reading: { status: 403, message: 'This paste burns after reading; open its page instead.' },
  // The manage page shows these under its token field (web.tsx `managed`).
  token_missing: { status: 403, message: 'Enter the delete token from your delete link, or sign in as the paste’s owner.' },
  token_wrong: { status: 403, message: 'That token is wrong for this paste. Copy it again from your delete link (everything after #token=).' },
  bearer_wrong: { status: 403, message: 'Wrong delete token. Send the one you got when you created the paste: Authorization: Bearer <token>.' },
};
