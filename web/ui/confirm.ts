// Asks before destructive form submissions (`<form data-confirm="Delete this?">`); without JS they just submit.

export function initConfirm(root: Document): void {
  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const question = form.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
}
