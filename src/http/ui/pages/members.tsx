// Project members (GitLab's `…/-/project_members`): who has which role; Maintainers add, change and remove.
/** @jsxImportSource hono/jsx */
import type { MemberRow, ProjectRow, UserRow } from "../../../store/rows.ts";
import { ROLE_NAMES } from "../data/members.ts";
import { membersUrl } from "../urls.ts";
import { ActionButton, CsrfField, Field, type FieldErrors, Select } from "../views/form.tsx";
import { ACTIONS, ListTable } from "../views/list-table.tsx";
import { ProjectHeader } from "../views/project-header.tsx";
import { TimeAgo } from "../views/time.tsx";

export interface MembersPageProps {
  project: ProjectRow;
  members: { member: MemberRow; user: UserRow }[];
  canManage: boolean;
  canAdmin: boolean;
  csrfToken: string;
  values: { username: string; access_level: string; expires_at: string };
  errors: FieldErrors;
}

const roleOptions = Object.entries(ROLE_NAMES).map(([value, label]) => ({ value, label }));

export function MembersPage(props: MembersPageProps) {
  const base = membersUrl(props.project);
  return (
    <>
      <ProjectHeader
        project={props.project}
        tab="members"
        canAdmin={props.canAdmin}
        trail={[{ label: "Members" }]}
        title="Project members"
      />
      <ListTable columns={["Account", "Role", "Member since", "Expires", props.canManage && ACTIONS]}>
        {props.members.map(({ member, user }) => (
          <tr>
            <td>
              <div class="cell-stack">
                <strong>{user.name}</strong>
                <span class="muted">@{user.username}</span>
              </div>
            </td>
            <td>
              {props.canManage ? (
                <form method="post" action={`${base}/${user.id}`} class="role-form">
                  <CsrfField token={props.csrfToken} />
                  <label class="inline-label" for={`role-${user.id}`}>
                    Role
                  </label>
                  <select id={`role-${user.id}`} name="access_level">
                    {roleOptions.map((o) => (
                      <option value={o.value} selected={Number(o.value) === member.accessLevel}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                  <button type="submit" class="btn btn-sm">
                    Save
                  </button>
                </form>
              ) : (
                (ROLE_NAMES[member.accessLevel] ?? member.accessLevel)
              )}
            </td>
            <td>
              <TimeAgo at={member.createdAt} />
            </td>
            <td>{member.expiresAt ?? <span class="muted">never</span>}</td>
            {props.canManage && (
              <td class="cell-actions">
                <ActionButton
                  action={`${base}/${user.id}/delete`}
                  label="Remove"
                  small
                  variant="danger"
                  csrfToken={props.csrfToken}
                  confirm={`Remove ${user.username} from ${props.project.name}?`}
                />
              </td>
            )}
          </tr>
        ))}
      </ListTable>
      {props.canManage && (
        <form method="post" action={base} class="card narrow section-form" novalidate>
          <CsrfField token={props.csrfToken} />
          <h2 class="card-title">Invite a member</h2>
          {props.errors.base && (
            <p class="field-error" role="alert">
              {props.errors.base}
            </p>
          )}
          <Field
            name="username"
            label="Username or email"
            idPrefix="member"
            value={props.values.username}
            error={props.errors.username}
            required
          />
          <div class="form-row">
            <Select
              name="access_level"
              label="Role"
              idPrefix="member"
              options={roleOptions}
              value={props.values.access_level}
              error={props.errors.access_level}
            />
            <Field
              name="expires_at"
              label="Access expiration date (optional)"
              type="date"
              idPrefix="member"
              value={props.values.expires_at}
              error={props.errors.expires_at}
            />
          </div>
          <button type="submit" class="btn btn-primary">
            Invite
          </button>
        </form>
      )}
    </>
  );
}
