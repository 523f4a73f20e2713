// GitLab's relative URL root: with `external_url = https://host/ci`, porthole answers under `/ci`. Inside, every
// route, link and redirect is written from `/`; this edge takes the root off each request's path and puts it on
// what leaves: Location headers, cookie paths, and the URLs in HTML attributes (links, forms, assets, data-*-url).

/** The path part of `externalUrl` without its trailing slash: `""` at the root, else e.g. `/ci`. */
export function relativeRoot(externalUrl: string): string {
  return new URL(externalUrl).pathname.replace(/\/+$/, "");
}

/** `pathname` with `root` taken off (`/ci/x` → `/x`, `/ci` → `/`); paths outside the root are left as they are. */
export function stripRoot(pathname: string, root: string): string {
  if (!root) return pathname;
  if (pathname === root) return "/";
  return pathname.startsWith(`${root}/`) ? pathname.slice(root.length) : pathname;
}

/** A same-site path (`/x`, not `//host` or a full URL) under the root. */
export function underRoot(path: string, root: string): string {
  return root && path.startsWith("/") && !path.startsWith("//") ? `${root}${path}` : path;
}

/** Attributes whose values are URLs the browser follows or a page script fetches. */
const URL_ATTRIBUTE = /(\s(?:href|src|action|formaction|data-[a-z0-9-]+)=")\/(?!\/)/g;

/** The page's root-relative URLs in attributes, under the root. Text and other attributes (`value`) stay. */
export function htmlUnderRoot(html: string, root: string): string {
  return html.replace(URL_ATTRIBUTE, `$1${root}/`);
}

/** `Path=/…` of a Set-Cookie under the root (`Path=/` → `Path=/ci`). */
function cookieUnderRoot(cookie: string, root: string): string {
  return cookie.replace(/;\s*Path=(\/[^;]*)/i, (_, path: string) => `; Path=${path === "/" ? root : `${root}${path}`}`);
}

/** The request as the app sees it: its path without the root. */
export function requestWithoutRoot(req: Request, root: string): Request {
  if (!root) return req;
  const url = new URL(req.url);
  const path = stripRoot(url.pathname, root);
  if (path === url.pathname) return req;
  url.pathname = path;
  return new Request(url, req);
}

/** The app's response as it leaves: redirects, cookies and HTML under the root. */
export async function responseUnderRoot(res: Response, root: string): Promise<Response> {
  if (!root) return res;
  // Pages only: a download (an artifact someone built) is never rewritten.
  const html =
    res.headers.get("content-type")?.startsWith("text/html") &&
    !res.headers.get("content-disposition")?.startsWith("attachment") &&
    res.body !== null;
  if (!html && !res.headers.has("location") && !res.headers.has("set-cookie")) return res;
  const headers = new Headers(res.headers);
  const location = headers.get("location");
  if (location) headers.set("location", underRoot(location, root));
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) {
    headers.delete("set-cookie");
    for (const c of cookies) headers.append("set-cookie", cookieUnderRoot(c, root));
  }
  if (!html) return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  headers.delete("content-length");
  const body = htmlUnderRoot(await res.text(), root);
  return new Response(body, { status: res.status, statusText: res.statusText, headers });
}
