/** The admin user list: each row changes a role or disables an account in place (htmx) or by a plain form. */
import type { AdminUserRow } from '../../../shared/auth/repository';
import { ROLES } from '../../../shared/auth/types';
import { Time } from '../../../shared/html/components';
import { CsrfField } from '../../../shared/html/layout';
import { paths } from '../paths';

export function AdminUsersPage({
  users,
  csrf,
  selfId,
  nextAfter,
  savedId,
}: {
  users: AdminUserRow[];
  csrf: string;
  selfId: number;
  nextAfter: number | null;
  savedId?: number | undefined;
}) {
  return (
    <div class="stack-lg">
      <header class="page-header">
        <h1>Users</h1>
        <p class="muted">
          Roles: <b>admin</b> manages the instance, <b>agent</b> works helpdesk tickets, <b>member</b> uses the apps. Disabling an account ends all its sessions
          at once.
        </p>
      </header>
      <section class="panel">
        <table class="table" id="users">
          <thead>
            <tr>
              <th>User</th>
              <th>Role</th>
              <th>Sessions</th>
              <th>Joined</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRow user={u} csrf={csrf} self={u.id === selfId} outcome={u.id === savedId ? { cell: 'role', kind: 'saved', message: 'Saved' } : undefined} />
            ))}
          </tbody>
        </table>
        {nextAfter !== null && (
          <p>
            <a href={paths.adminUsers({ after: nextAfter })}>Next page →</a>
          </p>
        )}
      </section>
    </div>
  );
}

/** What the last action on a row did, shown in that cell's reserved slot. */
export type RowOutcome = { cell: 'role' | 'status'; kind: 'saved' | 'error'; message: string };

/**
 * The slot every row has, in the role and status cells, for the answer to an action:
 * its width is reserved (CSS) so "Saved" appears without moving a column, and an
 * error's explanation floats over the table instead of growing the row.
 */
function RowStatus({ outcome, cell, id }: { outcome: RowOutcome | undefined; cell: RowOutcome['cell']; id: string }) {
  const mine = outcome?.cell === cell ? outcome : undefined;
  if (!mine) return <span class="row-status" id={id}></span>;
  if (mine.kind === 'saved')
    return (
      <span class="row-status saved" id={id} role="status">
        ✓ {mine.message}
      </span>
    );
  return (
    <span class="row-status failed" id={id} role="alert">
      Not saved<span class="row-status-detail">{mine.message}</span>
    </span>
  );
}

export function UserRow({ user, csrf, self, outcome }: { user: AdminUserRow; csrf: string; self: boolean; outcome?: RowOutcome | undefined }) {
  const action = user.disabledAt === null ? 'disable' : 'enable';
  return (
    <tr id={`user-${user.id}`} data-user={user.id} class={user.disabledAt !== null ? 'muted' : ''}>
      <td data-label="User">
        {user.email} {self && <span class="badge">you</span>}
        {user.displayName && <div class="muted small">{user.displayName}</div>}
      </td>
      <td data-label="Role" class="has-row-status">
        <form method="post" action={paths.userRole(user.id)} hx-post={paths.userRole(user.id)} hx-target="closest tr" hx-swap="outerHTML" class="inline">
          <CsrfField token={csrf} />
          <label class="visually-hidden" for={`role-${user.id}`}>
            Role of {user.email}
          </label>
          <select id={`role-${user.id}`} name="role" aria-describedby={`role-status-${user.id}`}>
            {ROLES.map((r) => (
              <option value={r} selected={user.role === r}>
                {r}
              </option>
            ))}
          </select>{' '}
          <button type="submit" class="small secondary">
            Save
          </button>
        </form>{' '}
        <RowStatus outcome={outcome} cell="role" id={`role-status-${user.id}`} />
      </td>
      <td data-label="Sessions">{user.activeSessions}</td>
      <td data-label="Joined">
        <Time ms={user.createdAt} />
      </td>
      <td data-label="Status" class="has-row-status">
        {self ? (
          <span class="muted">active</span>
        ) : (
          <form
            method="post"
            action={paths.userAccess(user.id, action)}
            hx-post={paths.userAccess(user.id, action)}
            hx-target="closest tr"
            hx-swap="outerHTML"
            class="inline"
          >
            <CsrfField token={csrf} />
            {user.disabledAt === null ? 'active ' : 'disabled '}
            <button type="submit" class={`small ${action === 'disable' ? 'danger' : 'secondary'}`}>
              {action === 'disable' ? 'Disable' : 'Enable'}
            </button>
          </form>
        )}{' '}
        <RowStatus outcome={outcome} cell="status" id={`account-status-${user.id}`} />
      </td>
    </tr>
  );
}
