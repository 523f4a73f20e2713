// GitLab's offset pagination: `page`, `per_page` (default 20, at most 100) and the X-* and Link headers.

import { z } from "zod";
import { externalUrl } from "../../config/schema.ts";
import type { ApiContext } from "../env.ts";
import { parseParams, zInt } from "./validate.ts";

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;

export interface Page {
  page: number;
  perPage: number;
  /** Rows to skip: (page - 1) * perPage. */
  offset: number;
}

const pageSchema = z.object({ page: zInt().optional(), per_page: zInt().optional() });

/** The requested page; out-of-range values are clamped as GitLab does, non-numbers are a 400. */
export function pageOf(params: Record<string, unknown>): Page {
  const { page = 1, per_page = DEFAULT_PER_PAGE } = parseParams(pageSchema, params);
  const perPage = Math.min(Math.max(per_page, 1), MAX_PER_PAGE);
  const current = Math.max(page, 1);
  return { page: current, perPage, offset: (current - 1) * perPage };
}

/** Answers a page of `items` (already limited to `page`) out of `total`, with GitLab's pagination headers. */
export function paginated<T>(c: ApiContext, page: Page, total: number, items: T[]): Response {
  const totalPages = Math.max(1, Math.ceil(total / page.perPage));
  const next = page.page < totalPages ? page.page + 1 : null;
  const prev = page.page > 1 ? Math.min(page.page - 1, totalPages) : null;
  c.header("X-Page", String(page.page));
  c.header("X-Per-Page", String(page.perPage));
  c.header("X-Total", String(total));
  c.header("X-Total-Pages", String(totalPages));
  c.header("X-Next-Page", next === null ? "" : String(next));
  c.header("X-Prev-Page", prev === null ? "" : String(prev));
  const url = new URL(c.req.url);
  const base = `${externalUrl(c.get("deps").config)}${url.pathname}`;
  const link = (p: number, rel: string) => {
    const query = new URLSearchParams(url.searchParams);
    query.set("page", String(p));
    query.set("per_page", String(page.perPage));
    return `<${base}?${query}>; rel="${rel}"`;
  };
  const links = [
    prev !== null ? link(prev, "prev") : null,
    next !== null ? link(next, "next") : null,
    link(1, "first"),
    link(totalPages, "last"),
  ].filter((l) => l !== null);
  c.header("Link", links.join(", "));
  return c.json(items);
}
