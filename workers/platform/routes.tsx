/**
 * The platform's own routes, by audience, mounted in this order: public pages
 * (home, health, apps not built yet), sign-up/in/out, the account page, the admin
 * user list, and the JSON API (GET /api/me).
 * Every unsafe route here is covered by the CSRF matrix test, which walks the
 * registered routes.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../shared/context';
import account from './account';
import admin from './admin';
import api from './api';
import auth from './auth';
import home from './home';

const platform = new Hono<AppEnv>();

platform.route('/', home);
platform.route('/', auth);
platform.route('/account', account);
platform.route('/admin', admin);
platform.route('/', api);

export default platform;
