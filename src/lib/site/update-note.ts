/**
 * "A new version is available — reload": shown when a new deploy's service worker waits. The
 * button lets it take over, then reloads once it controls the page, so the reloaded page is
 * wholly the new version and no page mixes two versions' files.
 */
export function showUpdateNote(waiting: ServiceWorker): void {
  if (document.querySelector('.update-note')) return;
  const note = document.createElement('p');
  note.className = 'update-note';
  note.setAttribute('role', 'status');
  note.textContent = 'A new version is available — ';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = 'reload';
  reload.addEventListener('click', () => {
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    waiting.postMessage({ type: 'SKIP_WAITING' });
  });
  note.append(reload);
  document.body.append(note);
}
