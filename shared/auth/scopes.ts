/**
 * Scopes for personal API tokens. A token carries a subset; `requireScope()` checks
 * it. Each app adds the scopes its API needs here (apps never import each other, so
 * the list lives in shared/).
 */
export const SCOPES = {
  'account:read': 'Read your account profile (GET /api/me)',
  'codebin:write': 'Create pastes as you, and delete your pastes (CodeBin API)',
  lexicon: 'Use the Lexicon helpdesk API as you: tickets, comments, and (for agents) status, assignee and priority',
} as const satisfies Record<string, string>;

export type Scope = keyof typeof SCOPES;

export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];

export function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPES, value);
}
