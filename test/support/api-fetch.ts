// fetch against a running porthole's `/api/v4` with a token, a JSON body sent as `json`.

export type ApiInit = RequestInit & { json?: unknown; token?: string };

/** `path` under `${url}/api/v4` as `token`'s user (`init.token` overrides it); `init.json` becomes a JSON body. */
export function apiFetch(url: string, token: string, path: string, init: ApiInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("PRIVATE-TOKEN", init.token ?? token);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return fetch(`${url}/api/v4${path}`, { ...init, headers, body });
}
