// JSON for a project's members and CI/CD variables (GitLab's Member and Ci::Variable entities).
import type { MemberRow, UserRow, VariableRow } from "../../store/rows.ts";
import { iso } from "./time.ts";
import { userBasic } from "./user.ts";

/** GitLab's Member: the user's UserBasic merged with the membership. */
export function memberEntity(member: MemberRow, user: UserRow, baseUrl: string) {
  return {
    ...userBasic(user, baseUrl),
    access_level: member.accessLevel,
    created_at: iso(member.createdAt),
    expires_at: member.expiresAt,
  };
}

/** GitLab's Ci::Variable. Masked values are shown only to callers allowed to administer variables. */
export function variableEntity(v: VariableRow, opts: { revealMasked: boolean }) {
  return {
    variable_type: v.variableType,
    key: v.key,
    value: v.masked && !opts.revealMasked ? null : v.value,
    hidden: false,
    protected: v.protected,
    masked: v.masked,
    raw: v.raw,
    environment_scope: v.environmentScope,
    description: v.description,
  };
}
