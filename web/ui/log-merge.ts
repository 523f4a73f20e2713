// Joins an earlier chunk of the log in front of the shown part, fusing sections that span the boundary:
// the chunk ends inside `openDepth` sections, and the shown part starts with the same ones marked `data-continued`.

/**
 * Prepends `html` (a rendered chunk) to `lines`. For each level of sections open across the boundary (innermost
 * first), the continued section's content moves to the end of the chunk's section, which takes its duration.
 */
export function mergeEarlier(lines: HTMLElement, html: string, openDepth: number): void {
  const template = document.createElement("template");
  template.innerHTML = html;
  const chunk = template.content;
  const pairs: [Element, Element][] = [];
  let before: ParentNode = chunk;
  let after: ParentNode = lines;
  for (let i = 0; i < openDepth; i++) {
    const open = before.lastElementChild;
    const continued = after.firstElementChild;
    if (
      !(open instanceof HTMLDetailsElement) ||
      !(continued instanceof HTMLDetailsElement) ||
      !continued.hasAttribute("data-continued")
    ) {
      break;
    }
    pairs.push([open, continued]);
    before = open;
    after = continued;
  }
  for (const [open, continued] of pairs.reverse()) {
    const duration = continued.querySelector(":scope > summary .sec-dur")?.textContent ?? "";
    const slot = open.querySelector(":scope > summary .sec-dur");
    if (slot && duration) slot.textContent = duration;
    for (const child of [...continued.children]) if (child.tagName !== "SUMMARY") open.append(child);
    continued.remove();
  }
  lines.prepend(chunk);
}
