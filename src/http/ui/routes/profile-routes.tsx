// The signed-in user's profile: change their own password (with the current one), sign out of every session.
/** @jsxImportSource hono/jsx */
import { deleteCookie } from "hono/cookie";
import { audit } from "../../../auth/audit.ts";
import { changeOwnPassword, signOutEverywhere } from "../../../auth/own-account.ts";
import { isTokenActive } from "../../../auth/tokens.ts";
import { SESSION_COOKIE } from "../../../auth/web-sessions.ts";
import { DomainError } from "../../../domain/errors.ts";
import { requireActor } from "../data/access.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import { PASSWORD_URL, PROFILE_URL, ProfilePage, SIGN_OUT_EVERYWHERE_URL } from "../pages/profile.tsx";
import { renderPage } from "../render.tsx";
import { setFlash } from "../views/flash.ts";
import type { FieldErrors } from "../views/form.tsx";
import { fieldErrors, formText } from "../views/form-data.ts";

function page(c: UiContext, errors: FieldErrors = {}, status: 200 | 422 = 200) {
  const actor = requireActor(c);
  const { repos } = c.get("deps").store;
  return renderPage(
    c,
    "Profile",
    <ProfilePage
      user={actor.user}
      tokens={repos.tokens.unrevokedOfUser(actor.user.id).filter(isTokenActive)}
      sessions={repos.webSessions.activeOfUser(actor.user.id, new Date())}
      currentSessionId={c.get("session")?.id ?? null}
      csrfToken={c.get("csrfToken")}
      errors={errors}
    />,
    { status },
  );
}

export function addProfileRoutes(r: PageRouter): void {
  r.get(PROFILE_URL, (c) => page(c));

  r.post(PASSWORD_URL, async (c) => {
    const actor = requireActor(c);
    const form = await c.req.parseBody();
    const { db } = c.get("deps").store;
    try {
      await changeOwnPassword(db, actor.user.id, c.get("session")?.id ?? 0, {
        current: formText(form, "current_password"),
        password: formText(form, "password"),
        confirmation: formText(form, "password_confirmation"),
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return page(c, fieldErrors(err), 422);
    }
    audit(db, { action: "password_changed", actor, targetType: "User", targetId: actor.user.id });
    setFlash(c, "notice", "Password changed. Your other sessions were signed out.");
    return c.redirect(PROFILE_URL, 303);
  });

  r.post(SIGN_OUT_EVERYWHERE_URL, (c) => {
    const actor = requireActor(c);
    const { db } = c.get("deps").store;
    signOutEverywhere(db, actor.user.id);
    audit(db, { action: "signed_out_everywhere", actor, targetType: "User", targetId: actor.user.id });
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    setFlash(c, "notice", "Signed out of every session.");
    return c.redirect("/users/sign_in", 303);
  });
}
