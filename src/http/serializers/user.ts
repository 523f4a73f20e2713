// User JSON with GitLab's entities: UserBasic (everywhere), User (job owner), UserWithAdmin (for admins).
import type { UserRow } from "../../store/rows.ts";

/** GitLab's UserBasic: id, username, name, state, avatar_url, web_url. */
export function userBasic(user: UserRow, baseUrl: string) {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: user.state,
    locked: false,
    avatar_url: null,
    web_url: `${baseUrl}/${user.username}`,
  };
}

/** GitLab's User entity (UserBasic plus public profile fields, which porthole keeps empty). */
export function userEntity(user: UserRow, baseUrl: string) {
  return {
    ...userBasic(user, baseUrl),
    created_at: user.createdAt.toISOString(),
    bio: "",
    location: null,
    public_email: null,
    linkedin: "",
    twitter: "",
    website_url: "",
    organization: null,
    job_title: "",
    pronouns: null,
    bot: false,
    work_information: null,
  };
}

/**
 * The full record for the user themself (`GET /user`) and for admins: email, is_admin and account facts.
 * Never includes the password hash.
 */
export function userWithAdmin(user: UserRow, baseUrl: string) {
  return {
    ...userEntity(user, baseUrl),
    email: user.email,
    commit_email: user.email,
    is_admin: user.admin,
    can_create_group: false,
    can_create_project: true,
    two_factor_enabled: false,
    external: false,
    private_profile: false,
    last_sign_in_at: null,
    confirmed_at: user.createdAt.toISOString(),
    last_activity_on: null,
    projects_limit: 100000,
    identities: [],
  };
}
