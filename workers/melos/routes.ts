/**
 * Melos, mounted at /melos: the JSON API (api.ts) first, then the pages (web.tsx).
 * Every URL is built by paths.ts.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../shared/context';
import api from './api';
import web from './web';

const melos = new Hono<AppEnv>();
melos.route('/', api);
melos.route('/', web);

export default melos;
