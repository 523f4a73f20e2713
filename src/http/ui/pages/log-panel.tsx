// The job log panel: toolbar (follow state, jump, raw, download), the "load earlier" bar, the rendered log.
/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { LogSearchPage } from "../log/log-search.ts";
import type { LogTail } from "../log/log-window.ts";
import { Icon } from "../views/icons.tsx";

export interface LogPanelProps {
  tail: LogTail;
  /** Live stream URL (with the resume token) while the job runs; absent for a finished job. */
  streamUrl?: string;
  /** URL of earlier chunks, without `to` (the panel adds the shown part's start). */
  chunkUrl: string;
  rawUrl: string;
  /** The server-side log search (`?q=`, paged with `from=`); matches jump to their line. */
  searchUrl: string;
  /** Shown instead of the log when it is empty. */
  emptyText: string;
  /** The job page's URL: without JavaScript, the search form and its results are links to it (`?q=`, `around=`). */
  pageUrl: string;
  /** A search the page was asked for (`?q=`): its first page of matches, rendered by the server. */
  search?: { query: string; found: LogSearchPage } | null;
  /** The line the window shows the lines around (`?around=`), instead of the log's tail. */
  jumpedTo?: number | null;
}

function SearchResults(props: { pageUrl: string; query: string; found: LogSearchPage }) {
  const { found, query } = props;
  const q = encodeURIComponent(query);
  const count = found.matches.length;
  return (
    <div class="log-search-results" data-log-search-results aria-live="polite">
      <p class="log-search-summary" data-search-summary>
        {count === 0 && !found.next
          ? "No lines match."
          : `${count} matching ${count === 1 ? "line" : "lines"}${found.next ? " so far" : ""}.`}
      </p>
      <ol class="log-search-list">
        {found.matches.map((m) => (
          <li>
            <a class="btn btn-sm" href={`${props.pageUrl}?q=${q}&around=${m.offset}&line=${m.line}#L${m.line}`}>
              Line {m.line}
            </a>
            <code>{m.text}</code>
          </li>
        ))}
      </ol>
      {found.next && (
        <a class="btn btn-sm" href={`${props.pageUrl}?q=${q}&from=${encodeURIComponent(found.next)}`}>
          More matches
        </a>
      )}
    </div>
  );
}

export function LogPanel(props: LogPanelProps) {
  const t = props.tail;
  const running = props.streamUrl !== undefined;
  return (
    <section
      class="log-panel"
      aria-label="Job log"
      data-log-panel
      data-stream={props.streamUrl}
      data-open-depth={String(t.openDepth)}
      data-follow={running ? "true" : "false"}
    >
      <div class="log-toolbar">
        <span class="log-info" data-follow-state aria-live="polite"></span>
        <span class="grow"></span>
        <form
          class="log-search"
          role="search"
          method="get"
          action={props.pageUrl}
          data-log-search={props.searchUrl}
          data-chunk-url={props.chunkUrl}
        >
          <input
            type="search"
            name="q"
            aria-label="Search the job log"
            placeholder="Search the log"
            maxlength={200}
            value={props.search?.query}
          />
          <button type="submit" class="btn">
            Search
          </button>
        </form>
        <button type="button" class="btn" data-log-top title="Scroll to top" aria-label="Scroll to top">
          <Icon name="up" />
        </button>
        <button type="button" class="btn" data-log-bottom title="Scroll to bottom" aria-label="Scroll to bottom">
          <Icon name="down" />
        </button>
        <a class="btn" href={props.rawUrl} target="_blank" rel="noopener">
          <Icon name="file" />
          Raw
        </a>
        <a class="btn" href={`${props.rawUrl}?download=1`} download>
          <Icon name="download" />
          Download
        </a>
      </div>
      {t.from > 0 && (
        <div class="log-earlier">
          <span data-earlier-notice>{t.notice}</span>
          <button type="button" class="btn" hidden data-earlier-url={`${props.chunkUrl}?to=${t.from}`}>
            Load earlier
          </button>
          <a href={props.rawUrl}>Open the whole log</a>
        </div>
      )}
      {props.search ? (
        <SearchResults pageUrl={props.pageUrl} query={props.search.query} found={props.search.found} />
      ) : (
        <div class="log-search-results" hidden data-log-search-results aria-live="polite"></div>
      )}
      <div class="log-jumped" hidden={!props.jumpedTo} data-log-jumped>
        {props.jumpedTo && (
          <>
            <span>Showing the lines around line {props.jumpedTo}. </span>
            <a href={props.pageUrl}>Back to the end of the log</a>
          </>
        )}
      </div>
      <div class="log" id="job-log" data-digits={String(t.digits)}>
        <div class="log-lines">{raw(t.html)}</div>
        <div class="log-pending">{raw(t.pendingHtml)}</div>
        {t.size === 0 && <div class="log-empty">{props.emptyText}</div>}
      </div>
    </section>
  );
}
