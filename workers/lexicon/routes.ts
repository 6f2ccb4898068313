/**
 * Lexicon, mounted at /lexicon: the pages and htmx fragments (web.tsx) and the JSON
 * API (api.ts), two audiences of one sub-app. Everything in Lexicon needs a
 * signed-in user; API tokens need the `lexicon` scope.
 */
import { Hono } from 'hono';
import { assertScope, currentAuth } from '../../shared/auth/middleware';
import type { AppEnv } from '../../shared/context';
import jsonApi from './api';
import web from './web';

const lexicon = new Hono<AppEnv>();

lexicon.use('*', async (c, next) => {
  assertScope(currentAuth(c), 'lexicon');
  await next();
});

lexicon.route('/', web);
lexicon.route('/', jsonApi);

export default lexicon;
