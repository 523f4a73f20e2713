// New project: shows only the fields of the chosen pipeline source (`data-source-for`); without JS all are shown.

export function initSourceToggle(root: Document): void {
  const radios = [...root.querySelectorAll<HTMLInputElement>('input[type="radio"][name="source"]')];
  if (radios.length === 0) return;
  const apply = () => {
    const chosen = radios.find((r) => r.checked)?.value;
    for (const part of root.querySelectorAll<HTMLElement>("[data-source-for]"))
      part.hidden = part.dataset.sourceFor !== chosen;
  };
  for (const r of radios) r.addEventListener("change", apply);
  apply();
}
