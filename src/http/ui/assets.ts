// Serves the bundled client script, stylesheet and icon (and the player page's) under content-hashed, immutable URLs.
import type { Hono } from "hono";
import { bundlePlayerScript, bundlePlayerStyles, bundleScript, bundleStyles } from "./assets-macro.ts" with {
  type: "macro",
};
import type { UiEnv } from "./env.ts";
import { paletteCss } from "./log/palette.ts";

const SCRIPT = bundleScript();
const STYLES = bundleStyles() + paletteCss();
/** Only the recording player page loads these (asciinema-player). */
const PLAYER_SCRIPT = bundlePlayerScript();
const PLAYER_STYLES = bundlePlayerStyles();
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="13" fill="#e8f1fb" stroke="#1f75cb" stroke-width="4"/><circle cx="16" cy="16" r="6.5" fill="#1f75cb" opacity=".25"/><g fill="#1f75cb"><circle cx="16" cy="1.9" r="1.6"/><circle cx="16" cy="30.1" r="1.6"/><circle cx="1.9" cy="16" r="1.6"/><circle cx="30.1" cy="16" r="1.6"/></g></svg>`;

const hash = (text: string) => Bun.hash(text).toString(36);
const URLS = {
  js: `/-/assets/ui-${hash(SCRIPT)}.js`,
  css: `/-/assets/ui-${hash(STYLES)}.css`,
  icon: `/-/assets/porthole-${hash(ICON)}.svg`,
  playerJs: `/-/assets/player-${hash(PLAYER_SCRIPT)}.js`,
  playerCss: `/-/assets/player-${hash(PLAYER_STYLES)}.css`,
};

export function assetUrls(): typeof URLS {
  return URLS;
}

const IMMUTABLE = "public, max-age=31536000, immutable";

/** Registers the asset routes on `app`, and `/favicon.ico` (asked for by pages without an icon link: the terminal). */
export function addAssetRoutes(app: Hono<UiEnv>): void {
  const serve = (path: string, body: string, type: string) =>
    app.get(path, (c) => c.body(body, 200, { "Content-Type": type, "Cache-Control": IMMUTABLE }));
  serve(URLS.js, SCRIPT, "text/javascript; charset=utf-8");
  serve(URLS.css, STYLES, "text/css; charset=utf-8");
  serve(URLS.icon, ICON, "image/svg+xml");
  serve(URLS.playerJs, PLAYER_SCRIPT, "text/javascript; charset=utf-8");
  serve(URLS.playerCss, PLAYER_STYLES, "text/css; charset=utf-8");
  app.get("/favicon.ico", (c) => c.redirect(URLS.icon, 301));
}
