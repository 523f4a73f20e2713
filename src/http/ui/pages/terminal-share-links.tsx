// The job page's read-only share links for Maintainers: make one that expires, see the working ones, revoke them.
/** @jsxImportSource hono/jsx */
import { SHARE_LINK_LIFETIMES } from "../../../session/share-links.ts";
import { ActionButton, CsrfField } from "../views/form.tsx";
import { exactTime } from "../views/format.ts";

export interface ShareLinkItem {
  id: number;
  url: string;
  expiresAt: Date;
}

/** Shown to those who may share the terminal, while the job runs or while links of it still work. */
export function ShareLinksPanel(props: {
  base: string;
  links: ShareLinkItem[];
  running: boolean;
  csrfToken: string;
  /** `terminal.anonymous_share_links`: the link opens without signing in. */
  anonymous: boolean;
}) {
  if (!props.running && props.links.length === 0) return null;
  return (
    <section class="terminal-share-links">
      <h2>Read-only terminal links</h2>
      <p class="muted">
        {props.anonymous
          ? "A link lets anyone who has it watch the terminal without typing, signed in or not (this server allows it)."
          : "A link lets a signed-in Reporter of this project watch the terminal without typing."}{" "}
        Making and revoking links is audited.
      </p>
      {props.links.map((link) => (
        <div class="share-link">
          <input
            class="mono"
            id={`share-link-${link.id}`}
            value={link.url}
            readonly
            aria-label={`Read-only link ${link.id}`}
          />
          <button type="button" class="btn btn-sm" data-copy={`#share-link-${link.id}`} hidden>
            Copy
          </button>
          <span class="muted">
            expires <time datetime={link.expiresAt.toISOString()}>{exactTime(link.expiresAt)}</time>
          </span>
          <ActionButton
            action={`${props.base}/terminal/share_links/${link.id}/revoke`}
            label="Revoke"
            variant="danger"
            small
            csrfToken={props.csrfToken}
          />
        </div>
      ))}
      {props.running && (
        <form method="post" action={`${props.base}/terminal/share_links`} class="inline-form">
          <CsrfField token={props.csrfToken} />
          <label>
            Expires after{" "}
            <select name="expires_in">
              {Object.entries(SHARE_LINK_LIFETIMES).map(([value, { label }]) => (
                <option value={value} selected={value === "8h"}>
                  {label}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="submit" class="btn">
            Make a read-only link
          </button>
        </form>
      )}
    </section>
  );
}
