import { describe, expect, it } from 'vitest';
import { presentHealth, presentMe, Me } from '../../workers/platform/presenters';
import { paths } from '../../workers/platform/paths';

const user = { id: 7, email: 'ada@example.com', displayName: 'Ada', role: 'admin' as const, createdAt: Date.UTC(2026, 0, 2, 3, 4, 5) };

describe('presentMe', () => {
  it('a session says only that', () => {
    const json = presentMe({ via: 'session', user, sessionId: 's1' });
    expect(json).toEqual({
      id: 7,
      email: 'ada@example.com',
      displayName: 'Ada',
      role: 'admin',
      createdAt: '2026-01-02T03:04:05.000Z',
      auth: { via: 'session' },
    });
    expect(Me.safeParse(json).success).toBe(true);
  });

  it('a token names its scopes, and never its id', () => {
    const json = presentMe({ via: 'token', user, tokenId: 'tok', scopes: ['account:read'] });
    expect(json.auth).toEqual({ via: 'token', scopes: ['account:read'] });
    expect(JSON.stringify(json)).not.toContain('tok"');
    expect(Me.safeParse(json).success).toBe(true);
  });
});

describe('presentHealth', () => {
  it('ok or error, with the checks', () => {
    const d1 = { status: 'ok' as const, latency_ms: 1, latest_migration: '0001_x.sql' };
    expect(presentHealth({ ok: true, checks: { d1 } })).toEqual({ status: 'ok', checks: { d1 } });
    expect(presentHealth({ ok: false, checks: { d1: { status: 'error', error: 'D1 query failed.' } } }).status).toBe('error');
  });
});

describe('paths', () => {
  const cases: Array<[string, string, string]> = [
    [paths.account(), '/account', 'the account page'],
    [paths.account('token-revoked'), '/account?notice=token-revoked', 'with a notice'],
    [paths.adminUsers(), '/admin/users', 'the first page of users'],
    [paths.adminUsers({ after: 50 }), '/admin/users?after=50', 'the page after user 50'],
    [paths.adminUsers({ saved: 3 }), '/admin/users?saved=3', 'marking a saved row'],
    [paths.revokeSession('abc_DEF-123'), '/account/sessions/abc_DEF-123/revoke', 'revoking a session'],
    [paths.userAccess(4, 'disable'), '/admin/users/4/disable', 'disabling a user'],
  ];
  for (const [actual, expected, label] of cases) it(label, () => expect(actual).toBe(expected));
});
