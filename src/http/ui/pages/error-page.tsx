// The page shown for 403, 404, 422 and 500 answers.
/** @jsxImportSource hono/jsx */

const TITLES: Record<number, string> = {
  400: "Bad request",
  403: "Access denied",
  404: "Page not found",
  409: "Conflict",
  422: "Can't do that",
  500: "Something went wrong",
};

export const errorTitle = (status: number): string => TITLES[status] ?? "Error";

export function ErrorPage(props: { status: number; message: string }) {
  return (
    <div class="empty">
      <h2>
        {props.status} · {errorTitle(props.status)}
      </h2>
      <p>{props.message}</p>
      <p>
        <a href="/">Back to your projects</a>
      </p>
    </div>
  );
}
