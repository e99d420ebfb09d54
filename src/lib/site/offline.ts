/**
 * Registers the offline service worker (generated at build time, scripts/offline-sw.mjs) once
 * the page has loaded, so it never competes with the page's own first requests. When a new
 * deploy's worker has installed and waits, the reader is offered a reload (update-note.ts, loaded
 * only then: every page carries this file, which the page-weight budgets count).
 */
export function registerOfflineWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').then((registration) => {
      // Nothing to watch where registration is blocked (Playwright's `serviceWorkers: 'block'` resolves with nothing).
      if (!registration) return;
      // A first install has no controller to replace: nothing to offer then.
      const offer = (worker: ServiceWorker | null) => worker && navigator.serviceWorker.controller && import('./update-note').then((m) => m.showUpdateNote(worker));
      offer(registration.waiting);
      registration.addEventListener('updatefound', () => {
        const worker = registration.installing;
        worker?.addEventListener('statechange', () => worker.state === 'installed' && offer(worker));
      });
    }, () => {
      // Refused (private mode, storage off): the site works online as before.
    });
  });
}
