// A list table (`table.list` in its scrolling wrapper) with one header row naming its columns.
/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

/** The hidden heading over a column of row buttons. */
export const ACTIONS = { actions: true } as const;

/** A heading, a heading with a class (`hide-narrow`), ACTIONS, or false for a column left out. */
export type Column = string | { label: string; class: string } | typeof ACTIONS | false;

function Heading({ column }: { column: Exclude<Column, false> }) {
  if (typeof column === "string") return <th scope="col">{column}</th>;
  if ("actions" in column)
    return (
      <th scope="col">
        <span class="visually-hidden">Actions</span>
      </th>
    );
  return (
    <th scope="col" class={column.class}>
      {column.label}
    </th>
  );
}

/** `data-*` props land on the table; `children` are its body rows. */
export function ListTable(props: { columns: Column[]; children: Child } & { [data: `data-${string}`]: boolean }) {
  const { columns, children, ...data } = props;
  return (
    <div class="table-wrap">
      <table class="list" {...data}>
        <thead>
          <tr>{columns.map((column) => column !== false && <Heading column={column} />)}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
