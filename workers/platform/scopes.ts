/** The platform's own API-token scopes (apps add theirs in their descriptor). */
import type { Scope } from '../../shared/auth/scopes';

export const PLATFORM_SCOPES = {
  'account:read': 'Read your account profile (GET /api/me)',
} as const satisfies Partial<Record<Scope, string>>;
