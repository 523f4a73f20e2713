// The terminal page's who-writes-who-watches line, and its "take control" and "hand over" controls.
import type { Participant } from "./terminal-connection.ts";

const $ = (id: string) => document.getElementById(id)!;

/** What the controls ask the session for. */
export interface RoleActions {
  takeControl(): void;
  handOver(to: number): void;
}

/**
 * Draws the presence line ("writing: alice · watching: bob, carol") and shows "Take control" to a watcher who may
 * write, "Hand over to …" to the writer when someone may take it. `canWrite` is false on a read-only share link.
 */
export function showRoles(participants: Participant[], you: number, canWrite: boolean, actions: RoleActions): void {
  const name = (p: Participant) => (p.id === you ? `${p.user} (you)` : p.user);
  const writers = participants.filter((p) => p.mode === "rw").map(name);
  const watchers = participants.filter((p) => p.mode === "ro").map(name);
  $("presence").textContent =
    `writing: ${writers.join(", ") || "nobody"} · watching: ${watchers.join(", ") || "nobody"}`;
  const me = participants.find((p) => p.id === you);
  const take = $("take-control") as HTMLButtonElement;
  take.hidden = !canWrite || me?.mode !== "ro";
  take.textContent = writers.length === 0 ? "Take control (nobody is writing)" : "Take control";
  take.onclick = () => actions.takeControl();
  const candidates = participants.filter((p) => p.id !== you && p.canWrite);
  const form = $("hand-over") as HTMLFormElement;
  form.hidden = me?.mode !== "rw" || candidates.length === 0;
  const select = $("hand-over-to") as HTMLSelectElement;
  // One user in two tabs: the connection's number tells them apart.
  const label = (p: Participant) =>
    candidates.filter((c) => c.user === p.user).length > 1 ? `${p.user} (connection ${p.id})` : p.user;
  select.replaceChildren(...candidates.map((p) => new Option(label(p), String(p.id))));
  form.onsubmit = (event) => {
    event.preventDefault();
    if (select.value) actions.handOver(Number(select.value));
  };
}

/** Hides the controls (the page is not connected). */
export function hideRoles(): void {
  $("presence").textContent = "";
  ($("take-control") as HTMLButtonElement).hidden = true;
  ($("hand-over") as HTMLFormElement).hidden = true;
}
