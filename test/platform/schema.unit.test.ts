import { describe, expect, it } from 'vitest';
import { bodyLimitFor, DEFAULT_BODY_LIMIT, formatBytes } from '../../shared/http/security';
import { isApiPath } from '../../shared/http/errors';
import { CreateTokenForm, nextPath, SignUpForm } from '../../workers/platform/schema';

describe('nextPath keeps sign-in redirects on this site', () => {
  const cases: Array<[string | undefined, string | undefined, string]> = [
    ['/account', '/account', 'a local path'],
    ['/admin/users?after=50', '/admin/users?after=50', 'a query string'],
    ['//evil.example/', undefined, 'a protocol-relative URL'],
    ['/\\evil.example', undefined, 'a backslash trick'],
    ['https://evil.example/', undefined, 'an absolute URL'],
    ['javascript:alert(1)', undefined, 'a javascript: URL'],
    [undefined, undefined, 'nothing'],
  ];
  for (const [input, expected, label] of cases) {
    it(label, () => expect(nextPath.parse(input)).toBe(expected));
  }
});

describe('sign-up form', () => {
  it('normalises the email and rejects unknown fields', () => {
    expect(SignUpForm.parse({ email: '  Ada@Example.COM ', password: 'long enough pw' }).email).toBe('ada@example.com');
    expect(SignUpForm.safeParse({ email: 'a@b.co', password: 'long enough pw', role: 'admin' }).success).toBe(false);
  });
});

describe('token form', () => {
  const cases: Array<[Record<string, unknown>, boolean, string]> = [
    [{ name: 'ci', scopes: 'account:read' }, true, 'one checkbox arrives as a string'],
    [{ name: 'ci', scopes: ['account:read'] }, true, 'several arrive as an array'],
    [{ name: 'ci' }, false, 'no scope'],
    [{ name: 'ci', scopes: ['account:write'] }, false, 'an unknown scope'],
    [{ name: 'x'.repeat(61), scopes: 'account:read' }, false, 'a name over 60 characters'],
    [{ name: 'ci', scopes: 'account:read', expires: '7' }, false, 'an expiry not offered'],
  ];
  for (const [input, ok, label] of cases) {
    it(label, () => expect(CreateTokenForm.safeParse(input).success).toBe(ok));
  }
});

describe('routing helpers', () => {
  const api: Array<[string, boolean]> = [
    ['/api/me', true],
    ['/codebin/api/pastes', true],
    ['/codebin/api', true],
    ['/codebin/apis', false],
    ['/account', false],
    ['/a/b/api/x', false],
  ];
  for (const [path, expected] of api) it(`isApiPath(${path})`, () => expect(isApiPath(path)).toBe(expected));

  it('uses the default body limit where no app asked for more', () => {
    expect(bodyLimitFor('/signin')).toBe(DEFAULT_BODY_LIMIT);
    expect(formatBytes(DEFAULT_BODY_LIMIT)).toBe('64 KiB');
    expect(formatBytes(1024 * 1024)).toBe('1 MiB');
  });
});
