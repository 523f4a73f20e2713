// The signed-in user's personal access tokens: list active ones, create (the token is shown once), revoke.
/** @jsxImportSource hono/jsx */
import { audit } from "../../../auth/audit.ts";
import {
  createPersonalAccessToken,
  isTokenActive,
  revokePersonalAccessToken,
  TOKEN_SCOPES,
  type TokenScope,
} from "../../../auth/tokens.ts";
import { DomainError } from "../../../domain/errors.ts";
import { requireActor, routeId } from "../data/access.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import { AccessTokensPage, type AccessTokensProps, TOKENS_URL } from "../pages/access-tokens.tsx";
import { renderPage } from "../render.tsx";
import { setFlash } from "../views/flash.ts";
import { fieldErrors, formText } from "../views/form-data.ts";

function page(c: UiContext, extra: Partial<AccessTokensProps> = {}, status: 200 | 201 | 422 = 200) {
  const actor = requireActor(c);
  const tokens = c.get("deps").store.repos.tokens.unrevokedOfUser(actor.user.id).filter(isTokenActive);
  return renderPage(
    c,
    "Personal access tokens",
    <AccessTokensPage
      tokens={tokens}
      csrfToken={c.get("csrfToken")}
      values={{ name: "", expires_at: "", scopes: ["api"] }}
      errors={{}}
      {...extra}
    />,
    { status },
  );
}

export function addTokenRoutes(r: PageRouter): void {
  r.get(TOKENS_URL, (c) => page(c));

  r.post(TOKENS_URL, async (c) => {
    const actor = requireActor(c);
    const form = await c.req.parseBody({ all: true });
    const rawScopes = form["scopes[]"];
    const scopes = (Array.isArray(rawScopes) ? rawScopes : [rawScopes]).filter((s): s is TokenScope =>
      TOKEN_SCOPES.includes(s as TokenScope),
    );
    const values = { name: formText(form, "name").trim(), expires_at: formText(form, "expires_at").trim(), scopes };
    const { db } = c.get("deps").store;
    try {
      const { token, row } = createPersonalAccessToken(db, {
        userId: actor.user.id,
        name: values.name,
        scopes,
        expiresAt: values.expires_at || null,
      });
      audit(db, {
        action: "token_created",
        actor,
        targetType: "PersonalAccessToken",
        targetId: row.id,
        details: { name: row.name, scopes },
      });
      return page(c, { newToken: token }, 201);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return page(c, { values, errors: fieldErrors(err) }, 422);
    }
  });

  r.post(`${TOKENS_URL}/:id{[0-9]+}/revoke`, (c) => {
    const actor = requireActor(c);
    const { db } = c.get("deps").store;
    try {
      const row = revokePersonalAccessToken(db, routeId(c), actor.user.id);
      audit(db, { action: "token_revoked", actor, targetType: "PersonalAccessToken", targetId: row.id });
      setFlash(c, "notice", `Revoked the token "${row.name}".`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      setFlash(c, "alert", "No such token.");
    }
    return c.redirect(TOKENS_URL, 303);
  });
}
