/**
 * Oracle, mounted at /oracle: the JSON API (api.ts) first, then the pages (web.tsx).
 * Every URL is built by paths.ts.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../shared/context';
import api from './api';
import web from './web';

const oracle = new Hono<AppEnv>();
oracle.route('/', api);
oracle.route('/', web);

export default oracle;
