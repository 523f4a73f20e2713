// The pages' per-request context: dependencies, the signed-in user (if any) and the CSRF token forms must carry.
import type { Context } from "hono";
import type { Actor } from "../../auth/actor.ts";
import type { WebSessionRow } from "../../store/rows.ts";
import type { ApiEnv, AppDeps } from "../env.ts";

/** The pages take the same dependencies as the API (`createApp`'s `AppDeps`). */
export type UiDeps = AppDeps;

export interface UiEnv {
  Bindings: ApiEnv["Bindings"];
  Variables: {
    deps: UiDeps;
    /** The signed-in user as an Actor (via "session"), or null for an anonymous visitor. */
    actor: Actor | null;
    session: WebSessionRow | null;
    /** The token every state-changing form carries as `authenticity_token`. */
    csrfToken: string;
  };
}

export type UiContext = Context<UiEnv>;
