/**
 * The platform's URLs, built in one place: the routes redirect to them and the
 * views link and post to them. (The header's links and the sign-in redirect with
 * `?next=` are built in shared/, which knows no app.)
 */
import { TWO_FACTOR_SETTINGS } from '../../shared/auth/second-step';
import { encodeCursor } from '../../shared/pagination';

/** A notice the account page shows after a plain-form change (post/redirect/get). */
export type AccountNotice =
  | 'password-changed'
  | 'password-changed-tokens'
  | 'session-revoked'
  | 'sessions-revoked'
  | 'token-revoked'
  | 'two-factor-off'
  | 'two-factor-cancelled'
  | 'recovery-code-used';

export const paths = {
  home: '/',
  signUp: '/signup',
  signIn: '/signin',
  signOut: '/signout',
  /** The second step of signing in to an account with two-factor on (the code). */
  secondStep: (next?: string) => (next ? `/signin/two-factor?next=${encodeURIComponent(next)}` : '/signin/two-factor'),

  account: (notice?: AccountNotice) => (notice ? `/account?notice=${notice}` : '/account'),
  password: '/account/password',
  revokeSession: (id: string) => `/account/sessions/${id}/revoke`,
  revokeOtherSessions: '/account/sessions/revoke-others',
  tokens: '/account/tokens',
  revokeToken: (id: string) => `/account/tokens/${id}/revoke`,
  twoFactor: TWO_FACTOR_SETTINGS,
  twoFactorSetup: '/account/two-factor/setup',
  twoFactorEnable: '/account/two-factor/enable',
  recoveryCodes: '/account/two-factor/recovery-codes',
  twoFactorDisable: '/account/two-factor/disable',

  /** The admin user list: a page after the user `after`, or the first page marking the row a plain form just `saved`. */
  adminUsers: (at: { after?: number; saved?: number } = {}) =>
    at.after !== undefined ? `/admin/users?after=${encodeCursor([at.after])}` : at.saved !== undefined ? `/admin/users?saved=${at.saved}` : '/admin/users',
  userRole: (id: number) => `/admin/users/${id}/role`,
  userAccess: (id: number, action: 'disable' | 'enable') => `/admin/users/${id}/${action}`,
} as const;
