import { expect, test } from "bun:test";
import {
  htmlUnderRoot,
  relativeRoot,
  requestWithoutRoot,
  responseUnderRoot,
  stripRoot,
  underRoot,
} from "./relative-root.ts";

test("the root is external_url's path without its trailing slash", () => {
  expect(relativeRoot("https://host/ci/")).toBe("/ci");
  expect(relativeRoot("https://host/a/b")).toBe("/a/b");
  expect(relativeRoot("https://host")).toBe("");
  expect(relativeRoot("https://host/")).toBe("");
});

test("request paths lose the root; paths outside it (and look-alikes like /cix) are left alone", () => {
  expect(stripRoot("/ci/root/p", "/ci")).toBe("/root/p");
  expect(stripRoot("/ci", "/ci")).toBe("/");
  expect(stripRoot("/ci/", "/ci")).toBe("/");
  expect(stripRoot("/cix/p", "/ci")).toBe("/cix/p");
  expect(stripRoot("/ci/ci/p", "/ci")).toBe("/ci/p");
  const req = requestWithoutRoot(new Request("http://h/ci/api/v4/projects?page=2"), "/ci");
  expect(req.url).toBe("http://h/api/v4/projects?page=2");
});

test("links, forms, assets and data-*-url attributes go under the root; text, values and other sites do not", () => {
  const html =
    '<a href="/root/p">/root/p</a><form action="/users/sign_in"><input name="redirect_to" value="/x"/></form>' +
    '<script src="/-/assets/ui.js"></script><div data-lint-url="/-/ui/ci/lint" data-n="3"></div>' +
    '<a href="//cdn.example/x">cdn</a><a href="https://other/x">o</a><a href="#main">skip</a>';
  expect(htmlUnderRoot(html, "/ci")).toBe(
    '<a href="/ci/root/p">/root/p</a><form action="/ci/users/sign_in"><input name="redirect_to" value="/x"/></form>' +
      '<script src="/ci/-/assets/ui.js"></script><div data-lint-url="/ci/-/ui/ci/lint" data-n="3"></div>' +
      '<a href="//cdn.example/x">cdn</a><a href="https://other/x">o</a><a href="#main">skip</a>',
  );
  expect(underRoot("/users/sign_in", "/ci")).toBe("/ci/users/sign_in");
  expect(underRoot("https://elsewhere/", "/ci")).toBe("https://elsewhere/");
});

test("answers: redirects and cookie paths under the root, HTML rewritten, other bodies untouched", async () => {
  const headers = new Headers({ location: "/users/sign_in?redirect_to=%2F", "content-type": "text/html" });
  headers.append("set-cookie", "_porthole_session=abc; Path=/; HttpOnly");
  headers.append("set-cookie", "_porthole_flash=; Max-Age=0; Path=/");
  const res = await responseUnderRoot(new Response('<a href="/x">x</a>', { status: 302, headers }), "/ci");
  expect(res.status).toBe(302);
  expect(res.headers.get("location")).toBe("/ci/users/sign_in?redirect_to=%2F");
  expect(res.headers.getSetCookie()).toEqual([
    "_porthole_session=abc; Path=/ci; HttpOnly",
    "_porthole_flash=; Max-Age=0; Path=/ci",
  ]);
  expect(await res.text()).toBe('<a href="/ci/x">x</a>');
  const json = new Response('{"href":"/x"}', { headers: { "content-type": "application/json" } });
  expect(await responseUnderRoot(json, "/ci")).toBe(json);
  const atRoot = new Response('<a href="/x">', { headers: { "content-type": "text/html" } });
  expect(await responseUnderRoot(atRoot, "")).toBe(atRoot);
});
