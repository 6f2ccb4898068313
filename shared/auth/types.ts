import type { Scope } from './scopes';

export const ROLES = ['admin', 'agent', 'member'] as const;
export type Role = (typeof ROLES)[number];

export type User = {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  createdAt: number;
};

/** Who is calling. A browser session may use every scope its role allows; a token only its own. */
export type Auth = { via: 'session'; user: User; sessionId: string } | { via: 'token'; user: User; tokenId: string; scopes: readonly Scope[] };
