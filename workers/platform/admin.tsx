/**
 * The admin user list (admins only): change a user's role, disable or enable an
 * account. The database refuses to leave the instance without an active admin
 * (a `last_admin` trigger); that refusal is answered here like any other.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../shared/context';
import { now } from '../../shared/clock';
import { raisedCode } from '../../shared/db';
import { currentAuth, requireRole, requireSession } from '../../shared/auth/middleware';
import * as accounts from '../../shared/auth/repository';
import { HttpError } from '../../shared/http/http-error';
import { audit } from '../../shared/http/logging';
import { describeRefusal, refusal, type RefusalTable } from '../../shared/http/refusal';
import { isHtmx } from '../../shared/http/request';
import { form, params, query } from '../../shared/http/validation';
import { keysetPage } from '../../shared/pagination';
import { paths } from './paths';
import * as schema from './schema';
import { AdminUsersPage, UserRow, type RowOutcome } from './views/admin';

const admin = new Hono<AppEnv>();
admin.use(requireSession(), requireRole('admin'));

const USERS_PAGE = 50;
const NO_USER = 'No such user.';

type UserRefusal = 'last_admin' | 'self_disable';

const USER_REFUSALS: RefusalTable<UserRefusal> = {
  last_admin: { status: 409, message: 'This is the last active admin. Make someone else an admin first.' },
  self_disable: { status: 400, message: 'You cannot disable your own account.' },
};

admin.get('/users', query(schema.UsersQuery), async (c) => {
  const { after, saved } = c.req.valid('query');
  const rows = await accounts.listUsers(c.env.DB, { afterId: after?.id ?? 0, limit: USERS_PAGE + 1, now: now() });
  const page = keysetPage(rows, USERS_PAGE, (u) => u.id);
  return c.render(<AdminUsersPage users={page.items} csrf={c.get('csrfToken')} selfId={currentAuth(c).user.id} nextAfter={page.next} savedId={saved} />, {
    title: 'Users',
  });
});

/**
 * After an admin change: for htmx, the updated row with the outcome in the cell that
 * was used ("Saved", or why not); for a plain form, back to the list (marking the row
 * saved), or the error page.
 */
async function userRowResponse(c: Context<AppEnv>, userId: number, cell: RowOutcome['cell'], refused?: UserRefusal) {
  if (!isHtmx(c)) {
    if (refused) throw refusal(USER_REFUSALS, refused);
    return c.redirect(paths.adminUsers({ saved: userId }), 303);
  }
  const [row] = await accounts.listUsers(c.env.DB, { afterId: userId - 1, limit: 1, now: now() });
  if (!row || row.id !== userId) throw new HttpError(404, NO_USER);
  const error = refused && describeRefusal(USER_REFUSALS, refused);
  const outcome: RowOutcome = error ? { cell, kind: 'error', message: error.message } : { cell, kind: 'saved', message: 'Saved' };
  return c.html(<UserRow user={row} csrf={c.get('csrfToken')} self={row.id === currentAuth(c).user.id} outcome={outcome} />, error?.status ?? 200);
}

admin.post('/users/:id/role', params(schema.UserIdParam, NO_USER), form(schema.RoleForm), async (c) => {
  const actor = currentAuth(c).user;
  const { id } = c.req.valid('param');
  const { role } = c.req.valid('form');
  const before = await accounts.findUser(c.env.DB, id);
  if (!before) throw new HttpError(404, NO_USER);
  try {
    await accounts.setRole(c.env.DB, id, role, now());
  } catch (error) {
    if (raisedCode(error, 'last_admin')) return userRowResponse(c, id, 'role', 'last_admin');
    throw error;
  }
  audit('user.role_changed', { actor_id: actor.id, user_id: id, from: before.role, to: role });
  return userRowResponse(c, id, 'role');
});

for (const action of ['disable', 'enable'] as const) {
  admin.post(`/users/:id/${action}`, params(schema.UserIdParam, NO_USER), form(schema.EmptyForm), async (c) => {
    const actor = currentAuth(c).user;
    const { id } = c.req.valid('param');
    if (id === actor.id) return userRowResponse(c, id, 'status', 'self_disable');
    let changed: boolean;
    try {
      changed = await accounts.setDisabled(c.env.DB, id, action === 'disable', now());
    } catch (error) {
      if (raisedCode(error, 'last_admin')) return userRowResponse(c, id, 'status', 'last_admin');
      throw error;
    }
    if (!changed) throw new HttpError(404, NO_USER);
    audit(`user.${action}d`, { actor_id: actor.id, user_id: id });
    return userRowResponse(c, id, 'status');
  });
}

export default admin;
