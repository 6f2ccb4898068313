/** zod schemas for the platform's forms and API (accounts, sessions, tokens, admin). */
import * as z from 'zod';
import { ROLES } from '../../shared/auth/types';
import { SCOPE_NAMES } from '../../shared/auth/scopes';

/** Every plain form may carry the CSRF token field. */
const csrf = { _csrf: z.string().max(200).optional() };

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'That email address is too long.')
  .pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }));

export const newPassword = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(256, 'Use at most 256 characters.');

/** A local path to return to after signing in: never another site. */
export const nextPath = z
  .string()
  .max(500)
  .refine((p) => p.startsWith('/') && !p.startsWith('//') && !p.startsWith('/\\'), 'Not a local path.')
  .optional()
  .catch(undefined);

export const SignUpForm = z
  .object({
    email,
    displayName: z.string().trim().max(80, 'Use at most 80 characters.').default(''),
    password: newPassword,
    next: nextPath,
    ...csrf,
  })
  .strict();

export const SignInForm = z
  .object({
    email: z.string().trim().toLowerCase().min(1, 'Enter your email address.').max(254, 'That email address is too long.'),
    password: z.string().min(1, 'Enter your password.').max(256, 'That password is too long.'),
    next: nextPath,
    ...csrf,
  })
  .strict();

export const ChangePasswordForm = z
  .object({
    current: z.string().min(1, 'Enter your current password.').max(256),
    password: newPassword,
    confirm: z.string().max(256),
    ...csrf,
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
      z.array(z.enum(SCOPE_NAMES as [string, ...string[]], { error: 'Unknown scope.' })).min(1, 'Pick at least one scope.').max(SCOPE_NAMES.length),
    ),
    expires: z.enum(['30', '90', '365', 'never'], { error: 'Pick an expiry.' }).default('90'),
    ...csrf,
  })
  .strict();

export const RoleForm = z.object({ role: z.enum(ROLES, { error: `Role must be one of ${ROLES.join(', ')}.` }), ...csrf }).strict();

export const EmptyForm = z.object(csrf).strict();

export const IdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'Malformed id.') });
export const UserIdParam = z.object({ id: z.coerce.number().int().positive('Malformed user id.') });
export const AfterQuery = z.object({ after: z.coerce.number().int().min(0).default(0) }).strict();
export const NoticeQuery = z.object({ notice: z.string().max(40).optional() });
