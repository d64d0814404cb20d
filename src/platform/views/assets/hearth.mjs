import { initAll } from '/assets/govuk-frontend.min.js';

initAll();

/**
 * Forms marked data-autosave keep what is typed on the server every 15 seconds after a change, so a
 * closed tab or a lost connection loses little. Without JavaScript the buttons save instead.
 */
for (const form of document.querySelectorAll('form[data-autosave]')) {
  const status = form.querySelector('[data-autosave-status]');
  let changed = false;
  form.addEventListener('input', () => {
    changed = true;
  });
  const timer = setInterval(async () => {
    if (!changed) return;
    changed = false;
    const body = new URLSearchParams(new FormData(form));
    body.set('action', 'autosave');
    try {
      const response = await fetch(form.action, { method: 'POST', body, headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (response.status === 409) {
        // Sent already, from this page or another: nothing more to save here.
        clearInterval(timer);
        if (status) status.textContent = 'This report has been sent. Reload the page to see its reference.';
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      const saved = await response.json();
      if (status) status.textContent = `Saved at ${saved.savedAtText}.`;
    } catch {
      changed = true;
      if (status) status.textContent = 'Not saved: check your connection. Hearth will try again.';
    }
  }, 15000);
}
