// Registers `porthole attach`; the terminal client itself lives in attach.ts (written with the terminal feature).

/**
 * Runs attach.ts's `runAttach(args)`. The specifier is held in a variable while attach.ts is not yet in the
 * tree, so that typecheck and the build pass without it; when it lands this becomes a plain import.
 */
export async function runAttachCommand(args: string[]): Promise<number> {
  const specifier = "./attach.ts";
  const attach = (await import(specifier).catch(() => null)) as { runAttach?: (args: string[]) => Promise<number> } | null;
  if (attach?.runAttach) return attach.runAttach(args);
  console.error("porthole attach: not available in this build yet (the terminal client has not landed)");
  return 2;
}
