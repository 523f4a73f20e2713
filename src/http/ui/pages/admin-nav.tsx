// The Admin area's heading and tabs (overview, users, runners, terminal sessions).
/** @jsxImportSource hono/jsx */
export type AdminTab = "overview" | "users" | "runners" | "terminals";

export function AdminNav(props: { tab: AdminTab; title: string }) {
  const tabs: [AdminTab, string, string][] = [
    ["overview", "Overview", "/admin"],
    ["users", "Users", "/admin/users"],
    ["runners", "Runners", "/admin/runners"],
    ["terminals", "Terminal sessions", "/admin/terminal_sessions"],
  ];
  return (
    <>
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <ol>
          <li>
            <a href="/admin">Admin area</a>
          </li>
          {props.tab !== "overview" && <li>{props.title}</li>}
        </ol>
      </nav>
      <h1>{props.title}</h1>
      <nav class="tabs" aria-label="Admin area">
        {tabs.map(([key, label, href]) => (
          <a href={href} aria-current={key === props.tab ? "page" : undefined}>
            {label}
          </a>
        ))}
      </nav>
    </>
  );
}

export function AdminOverview(props: {
  counts: { label: string; value: number; href: string }[];
  /** Free space under data_dir is low (monitoring.disk_warning_bytes). */
  diskWarning: string | null;
}) {
  return (
    <>
      <AdminNav tab="overview" title="Admin area" />
      {props.diskWarning && (
        <div class="flash flash-alert" role="alert">
          {props.diskWarning}
        </div>
      )}
      <div class="stat-grid">
        {props.counts.map((s) => (
          <a class="card stat" href={s.href}>
            <span class="stat-value">{s.value}</span>
            <span class="muted">{s.label}</span>
          </a>
        ))}
      </div>
    </>
  );
}
