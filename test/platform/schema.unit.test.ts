import { describe, expect, it } from 'vitest';
import { bodyLimitFor, DEFAULT_BODY_LIMIT, formatBytes } from '../../shared/http/security';
import { BODY_LIMITS } from '../../workers/apps';
import { isApiPath } from '../../shared/http/request';
import { localPath } from '../../shared/http/local-path';
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
    ['/\t/evil.example', undefined, 'a tab the browser strips (/%09/)'],
    ['/\n/x', undefined, 'a newline the browser strips (/%0a/)'],
    ['\\/evil.example', undefined, 'backslash slash'],
    ['/.//evil.example', undefined, 'a dot segment that leaves // behind'],
    ['http:evil.example', undefined, 'another scheme, no slashes'],
    [`/${'a'.repeat(3000)}`, undefined, 'over-long'],
    ['/a b?q=é#L3', '/a%20b?q=%C3%A9#L3', 'the parsed, encoded form, not the raw value'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example', 'encoded slashes stay a path'],
  ];
  for (const [input, expected, label] of cases) {
    it(label, () => expect(nextPath.parse(input)).toBe(expected));
  }
});

describe('localPath resolves as the browser does', () => {
  const origin = 'https://sixfold.test';
  const cases: Array<[string, string | null, string]> = [
    ['/account', '/account', 'a path'],
    [`${origin}/account?x=1#y`, '/account?x=1#y', 'our own absolute URL'],
    ['https://sixfold.test.evil.example/', null, 'a look-alike host'],
    ['//sixfold.test/', '/', 'protocol-relative to ourselves'],
    ['/\t/evil.example', null, 'a tab'],
    ['/\r\n/evil.example', null, 'CR LF'],
    ['/..//evil.example', null, 'dot-dot then //'],
    ['data:text/html,x', null, 'data:'],
    ['/\u0000x', '/%00x', 'NUL is encoded, never raw'],
  ];
  for (const [input, expected, label] of cases) {
    it(label, () => expect(localPath(input, origin)).toBe(expected));
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
    expect(bodyLimitFor(BODY_LIMITS, '/signin')).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor(BODY_LIMITS, '/codebinx')).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor(BODY_LIMITS, '/codebin/api/pastes')).toBe(1024 * 1024 + 64 * 1024);
    expect(formatBytes(DEFAULT_BODY_LIMIT)).toBe('64 KiB');
    expect(formatBytes(1024 * 1024)).toBe('1 MiB');
  });
});
