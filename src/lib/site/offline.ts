/**
 * Registers the offline service worker (generated at build time, scripts/offline-sw.mjs) once
 * the page has loaded, so it never competes with the page's own first requests. When a new
 * deploy's worker has installed and waits, the reader is told "A new version is available —
 * reload"; the button lets it take over and reloads, so a page never mixes two versions' files.
 */
const WORKER_URL = '/sw.js';

export function registerOfflineWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  addEventListener('load', () => {
    navigator.serviceWorker.register(WORKER_URL).then(offerUpdates, () => {
      // Blocked (private mode, a test harness) or unsupported: the site works online as before.
    });
  });
}

function offerUpdates(registration: ServiceWorkerRegistration): void {
  // A first install has no controller to replace: nothing to offer then.
  const offer = (worker: ServiceWorker) => navigator.serviceWorker.controller && showUpdateNote(worker);
  if (registration.waiting) offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => worker.state === 'installed' && offer(worker));
  });
}

function showUpdateNote(waiting: ServiceWorker): void {
  if (document.querySelector('.update-note')) return;
  const note = document.createElement('p');
  note.className = 'update-note';
  note.setAttribute('role', 'status');
  note.textContent = 'A new version is available — ';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = 'reload';
  reload.addEventListener('click', () => {
    // Reload once the new worker controls this page, so the reloaded page is wholly the new version.
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    waiting.postMessage({ type: 'SKIP_WAITING' });
  });
  note.append(reload);
  document.body.append(note);
}
