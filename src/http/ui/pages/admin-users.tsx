// Admin area, Users: every account with its state; create accounts, block and unblock them.
/** @jsxImportSource hono/jsx */
import type { UserRow } from "../../../store/rows.ts";
import { ActionButton, Checkbox, CsrfField, Field, type FieldErrors } from "../views/form.tsx";
import { ACTIONS, ListTable } from "../views/list-table.tsx";
import { TimeAgo } from "../views/time.tsx";
import { AdminNav } from "./admin-nav.tsx";

export interface AdminUsersProps {
  users: UserRow[];
  currentUserId: number;
  csrfToken: string;
  values: { username: string; name: string; email: string; admin: boolean };
  errors: FieldErrors;
}

export function AdminUsersPage(props: AdminUsersProps) {
  const { values: v, errors: e } = props;
  return (
    <>
      <AdminNav tab="users" title="Users" />
      <ListTable columns={["User", "Email", "Role", "State", "Created", ACTIONS]}>
        {props.users.map((u) => (
          <tr>
            <td>
              <div class="cell-stack">
                <strong>{u.name}</strong>
                <span class="muted">@{u.username}</span>
              </div>
            </td>
            <td>{u.email}</td>
            <td>{u.admin ? <span class="pill pill-blue">admin</span> : "regular"}</td>
            <td>{u.state === "blocked" ? <span class="pill pill-red">blocked</span> : "active"}</td>
            <td>
              <TimeAgo at={u.createdAt} />
            </td>
            <td class="cell-actions">
              {u.id !== props.currentUserId &&
                (u.state === "active" ? (
                  <ActionButton
                    action={`/admin/users/${u.id}/block`}
                    label="Block"
                    small
                    variant="danger"
                    csrfToken={props.csrfToken}
                    confirm={`Block ${u.username}? Their sessions and tokens stop working at once.`}
                  />
                ) : (
                  <ActionButton
                    action={`/admin/users/${u.id}/unblock`}
                    label="Unblock"
                    small
                    csrfToken={props.csrfToken}
                  />
                ))}
            </td>
          </tr>
        ))}
      </ListTable>
      <form method="post" action="/admin/users" class="card narrow section-form" novalidate>
        <CsrfField token={props.csrfToken} />
        <h2 class="card-title">New user</h2>
        {e.base && (
          <p class="field-error" role="alert">
            {e.base}
          </p>
        )}
        <div class="form-row">
          <Field name="username" label="Username" value={v.username} error={e.username} required autocomplete="off" />
          <Field name="name" label="Name" value={v.name} error={e.name} />
        </div>
        <Field name="email" label="Email" type="email" value={v.email} error={e.email} hint="Optional." />
        <Field
          name="password"
          label="Password"
          type="password"
          error={e.password}
          autocomplete="new-password"
          hint="At least 8 characters."
          required
        />
        <Checkbox
          name="admin"
          label="Administrator"
          checked={v.admin}
          hint="Administrators see and manage everything."
        />
        <button type="submit" class="btn btn-primary">
          Create user
        </button>
      </form>
    </>
  );
}
