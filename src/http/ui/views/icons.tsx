// Small line icons (16px, currentColor) for buttons and metadata; decorative, so hidden from screen readers.
/** @jsxImportSource hono/jsx */

const PATHS = {
  branch: "M5 3v10M5 13a1.6 1.6 0 1 0 0-.01M5 3a1.6 1.6 0 1 0 0 .01M11 5a1.6 1.6 0 1 0 0-.01M11 6.6c0 3-6 2-6 5",
  commit: "M1.5 8h4M10.5 8h4M8 5.5a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5z",
  clock: "M8 2.2a5.8 5.8 0 1 1 0 11.6A5.8 5.8 0 0 1 8 2.2zM8 5v3.2l2 1.3",
  calendar: "M2.5 4h11v9.5h-11zM2.5 7h11M5.5 2.5v3M10.5 2.5v3",
  play: "M5 3.5v9l7-4.5z",
  retry: "M13 8a5 5 0 1 1-1.5-3.6M12 2.5v2.5H9.5",
  cancel: "M8 2.2a5.8 5.8 0 1 1 0 11.6A5.8 5.8 0 0 1 8 2.2zM4 12l8-8",
  terminal: "M2 3h12v10H2zM4.5 6l2 2-2 2M8 10.5h3.5",
  download: "M8 2.5v8M4.8 7.5 8 10.7l3.2-3.2M3 13.5h10",
  file: "M4 1.8h5l3 3v9.4H4zM9 1.8v3h3",
  up: "M8 13V3M4 7l4-4 4 4",
  down: "M8 3v10M4 9l4 4 4-4",
  user: "M8 8a2.7 2.7 0 1 0 0-5.4A2.7 2.7 0 0 0 8 8zM2.8 14c.5-2.8 2.6-4.2 5.2-4.2s4.7 1.4 5.2 4.2",
  trash: "M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 9h5.6l.7-9",
  plus: "M8 3v10M3 8h10",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon(props: { name: IconName; size?: number }) {
  const size = props.size ?? 16;
  return (
    <svg
      class={`icon icon-${props.name}`}
      viewBox="0 0 16 16"
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={PATHS[props.name]}
        fill={props.name === "play" ? "currentColor" : "none"}
        stroke="currentColor"
        stroke-width="1.5"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
