/** The platform's JSON API (bearer tokens or a session): GET /api/me. */
import { Hono } from 'hono';
import type { AppEnv } from '../../shared/context';
import { currentAuth, requireScope } from '../../shared/auth/middleware';
import { api as describe } from '../../shared/http/openapi';
import { Me, presentMe } from './presenters';

const api = new Hono<AppEnv>();

api.get(
  '/api/me',
  describe({
    tag: 'Account',
    summary: 'Who is calling',
    description: 'The account behind the token (or session), and how the request was authenticated.',
    responses: { 200: { description: 'The account.', schema: Me } },
    errors: [403],
    scope: 'account:read',
  }),
  requireScope('account:read'),
  (c) => c.json(presentMe(currentAuth(c))),
);

export default api;
