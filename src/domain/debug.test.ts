// Breakpoint words and the waits registry: parse and print, wait until Continue or abort, change notices.
import { expect, test } from "bun:test";
import { breakpointText, breakpointWhere, createDebugPauses, parseBreakpoint } from "./debug.ts";

test("breakpoints read and print the API's words; anything else is refused", () => {
  for (const word of ["before_script", "before_script_end", "script:1", "script:42", "on_failure"])
    expect(breakpointText(parseBreakpoint(word)!)).toBe(word);
  for (const bad of ["", "script", "script:0", "script:-1", "script:1.5", "script:01", "after_script", "Script:2"])
    expect(parseBreakpoint(bad)).toBeNull();
  expect(breakpointWhere({ kind: "script", line: 3 })).toBe("before script line 3");
});

test("a wait shows until Continue ends it; Continue on a job not waiting is false; listeners hear both ends", async () => {
  const pauses = createDebugPauses();
  const heard: number[] = [];
  const off = pauses.onChange((id) => heard.push(id));
  const pause = { kind: "breakpoint" as const, where: "before script line 1", since: new Date(), endsAt: null };
  let ended = false;
  const waiting = pauses.wait(5, pause, new AbortController().signal).then(() => (ended = true));
  expect(pauses.current(5)).toEqual(pause);
  expect(pauses.continue(6)).toBe(false);
  await Bun.sleep(5);
  expect(ended).toBe(false);
  expect(pauses.continue(5)).toBe(true);
  await waiting;
  expect(pauses.current(5)).toBeNull();
  expect(pauses.continue(5)).toBe(false);
  expect(heard).toEqual([5, 5]);
  off();
});

test("an abort (cancel, stop) ends the wait too", async () => {
  const pauses = createDebugPauses();
  const stop = new AbortController();
  const pause = { kind: "on_failure" as const, where: "x", since: new Date(), endsAt: new Date() };
  const waiting = pauses.wait(1, pause, stop.signal);
  stop.abort();
  await waiting;
  expect(pauses.current(1)).toBeNull();
  await pauses.wait(2, pause, stop.signal); // already aborted: returns at once, never shown
  expect(pauses.current(2)).toBeNull();
});
