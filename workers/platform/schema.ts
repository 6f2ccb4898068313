/**
 * zod schemas for the platform's forms, queries and route parameters (accounts,
 * sessions, tokens, admin). Form schemas never declare the CSRF field: `form()`
 * (shared/http/validation.tsx) strips it after the CSRF middleware has checked it.
 */
import * as z from 'zod';
import { ROLES } from '../../shared/auth/types';
import { localPath, MAX_LOCAL_PATH } from '../../shared/http/local-path';
import { cursorParam } from '../../shared/pagination';
import { SCOPE_NAMES } from '../apps';

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'That email address is too long.')
  .pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }));

export const newPassword = z.string().min(10, 'Use at least 10 characters.').max(256, 'Use at most 256 characters.');

/**
 * Resolving against a placeholder origin is the same test as against ours: a value
 * stays on the base's origin only if it is a path (or names that origin itself), and
 * navigate() checks the result again against the request's real origin.
 */
const NEXT_BASE = 'https://next.invalid';

/**
 * A local path to return to after signing in: never another site. Parsed as the
 * browser will parse it (shared/http/local-path.ts); anything else is dropped, so
 * sign-in then lands on the home page.
 */
export const nextPath = z
  .string()
  .max(MAX_LOCAL_PATH)
  .transform((p) => localPath(p, NEXT_BASE) ?? undefined)
  .optional()
  .catch(undefined);

export const SignUpForm = z
  .object({
    email,
    displayName: z.string().trim().max(80, 'Use at most 80 characters.').default(''),
    password: newPassword,
    next: nextPath,
    /** The operator's ADMIN_SETUP_TOKEN, to claim a deployed instance that has no admin (empty = none). */
    setupToken: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(200, 'That setup token is too long.').optional()),
  })
  .strict();

export const SignInForm = z
  .object({
    email: z.string().trim().toLowerCase().min(1, 'Enter your email address.').max(254, 'That email address is too long.'),
    password: z.string().min(1, 'Enter your password.').max(256, 'That password is too long.'),
    next: nextPath,
  })
  .strict();

/** What the second step accepts: the app's six digits or a recovery code; which it is, the route decides. */
const secondFactorCode = z
  .string()
  .trim()
  .min(1, 'Enter the 6-digit code from your authenticator app, or a recovery code.')
  .max(40, 'That is longer than any code: enter the 6 digits your app shows, or a recovery code like 4k7qd-x2m9a.');

export const SecondStepForm = z.object({ code: secondFactorCode, next: nextPath }).strict();

/** The current password when the session's sudo window has passed; an empty field counts as absent. */
const sudoPassword = z.preprocess((v) => (v === '' ? undefined : v), z.string().max(256, 'That password is too long.').optional());

export const EnableTwoFactorForm = z
  .object({
    code: z.string().trim().min(1, 'Enter the 6-digit code your authenticator app shows for Sixfold.').max(40, 'Enter the 6 digits your app shows.'),
    password: sudoPassword,
  })
  .strict();

/** Turning two-factor off, or new recovery codes: only the password (when the sudo window has passed). */
export const SudoForm = z.object({ password: sudoPassword }).strict();

export const ChangePasswordForm = z
  .object({
    current: z.string().min(1, 'Enter your current password.').max(256),
    password: newPassword,
    confirm: z.string().max(256),
    /** The "also revoke every API token" checkbox (checked by default; absent when unticked). */
    revokeTokens: z.literal('yes', { error: 'Unexpected value for “revoke tokens”.' }).optional(),
  })
  .strict()
  .refine((f) => f.password === f.confirm, { path: ['confirm'], message: 'The two new passwords differ.' })
  .refine((f) => f.password !== f.current, { path: ['password'], message: 'Choose a password different from the current one.' });

export const TOKEN_EXPIRY_DAYS = { '30': 30, '90': 90, '365': 365, never: null } as const;

const toArray = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const CreateTokenForm = z
  .object({
    name: z.string().trim().min(1, 'Name the token, e.g. “laptop curl”.').max(60, 'Use at most 60 characters.'),
    scopes: z.preprocess(
      toArray,
      z
        .array(z.enum(SCOPE_NAMES as [string, ...string[]], { error: 'Unknown scope.' }))
        .min(1, 'Pick at least one scope.')
        .max(SCOPE_NAMES.length),
    ),
    expires: z.enum(['30', '90', '365', 'never'], { error: 'Pick an expiry.' }).default('90'),
    /** Needed once the session's sudo window has passed. */
    password: sudoPassword,
  })
  .strict();

export const RoleForm = z.object({ role: z.enum(ROLES, { error: `Role must be one of ${ROLES.join(', ')}.` }) }).strict();

/** A form that carries nothing but its CSRF token (a button). */
export const EmptyForm = z.object({}).strict();

/** Where sign-in or sign-up returns to (`?next=`); a hostile value is dropped, never refused. */
export const NextQuery = z.object({ next: nextPath });

/** A session or API token id; one that cannot exist is answered like one that does not (404). */
export const IdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'Malformed id.') });
export const UserIdParam = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,11}$/, 'Malformed user id.')
    .transform(Number),
});
export const UsersQuery = z
  .object({
    /** Keyset cursor: the last user id of the previous page (`?after=50`). */
    after: cursorParam({ id: 'int' }).optional(),
    /** The row a plain-form change just saved (post/redirect/get), to mark it. */
    saved: z.coerce.number().int().positive().optional(),
  })
  .strict();
export const NoticeQuery = z.object({ notice: z.string().max(40).optional() });
