/**
 * InsightDash, mounted at /insightdash: the ingestion API (api.ts) first, then the
 * pages (web.tsx). Every URL is built by paths.ts.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../shared/context';
import api from './api';
import web from './web';

const insightdash = new Hono<AppEnv>();
insightdash.route('/', api);
insightdash.route('/', web);

export default insightdash;
