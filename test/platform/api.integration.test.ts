// GET /api/me (workers/platform/api.ts): what it answers is what its presenter's
// schema says, and that schema is the one the OpenAPI document shows.
import { describe, expect, it } from 'vitest';
import { OPENAPI_PATH } from '../../workers/api-docs';
import { Me } from '../../workers/platform/presenters';
import { Client, createToken, signedUp } from '../support/client';

describe('GET /api/me', () => {
  it('answers the documented shape, for a session and for a token', async () => {
    const user = await signedUp();
    const viaSession = Me.parse(await (await user.fetch('/api/me')).json());
    expect(viaSession).toMatchObject({ email: user.email, auth: { via: 'session' } });
    const token = await createToken(user, ['account:read']);
    const viaToken = Me.parse(await (await new Client().fetch('/api/me', { headers: { authorization: `Bearer ${token}` } })).json());
    expect(viaToken).toMatchObject({ id: viaSession.id, auth: { via: 'token', scopes: ['account:read'] } });
  });

  it('is in the OpenAPI document under Account, with its scope and response schema', async () => {
    const doc = (await (await new Client().fetch(OPENAPI_PATH, { bare: true })).json()) as {
      paths: Record<
        string,
        Record<string, { tags?: string[]; security?: Array<Record<string, string[]>>; responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    };
    const op = doc.paths['/api/me']?.get;
    expect(op?.tags).toEqual(['Account']);
    expect(op?.security).toEqual([{ bearer: ['account:read'] }]);
    expect(JSON.stringify(op?.responses['200']?.content)).toMatch(/displayName|#\/components\/schemas\/Me/);
    expect(op?.responses['401']).toBeDefined();
  });
});
