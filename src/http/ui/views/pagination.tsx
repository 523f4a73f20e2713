// GitLab-style pagination links (Prev, numbered pages around the current one, Next); plain links, no JS.
/** @jsxImportSource hono/jsx */

export interface PageInfo {
  page: number;
  perPage: number;
  total: number;
}

export const PER_PAGE = 20;

/** The requested page number from a query value; anything odd means page 1. */
export function pageNumber(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
}

export function Pagination(props: PageInfo & { href: (page: number) => string }) {
  const pages = Math.max(1, Math.ceil(props.total / props.perPage));
  if (pages <= 1) return null;
  const p = props.page;
  const shown = [...new Set([1, p - 2, p - 1, p, p + 1, p + 2, pages])]
    .filter((n) => n >= 1 && n <= pages)
    .sort((a, b) => a - b);
  return (
    <nav class="pagination" aria-label="Pagination">
      {p > 1 ? (
        <a href={props.href(p - 1)} rel="prev">
          ‹ Prev
        </a>
      ) : (
        <span class="disabled">‹ Prev</span>
      )}
      {shown.map((n, i) => (
        <>
          {i > 0 && n - shown[i - 1]! > 1 && (
            <span class="disabled" aria-hidden="true">
              …
            </span>
          )}
          {n === p ? <span aria-current="page">{n}</span> : <a href={props.href(n)}>{n}</a>}
        </>
      ))}
      {p < pages ? (
        <a href={props.href(p + 1)} rel="next">
          Next ›
        </a>
      ) : (
        <span class="disabled">Next ›</span>
      )}
    </nav>
  );
}

/** `?page=N` added to `base` while keeping its other query parameters. */
export function withPage(base: URL, page: number): string {
  const q = new URLSearchParams(base.searchParams);
  if (page <= 1) q.delete("page");
  else q.set("page", String(page));
  const s = q.toString();
  return `${base.pathname}${s ? `?${s}` : ""}`;
}
