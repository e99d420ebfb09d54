/**
 * The chapter list's marks: beside each chapter, how many of its exercises the reader solved
 * ("✓" when all, "1/2" when some), from progress.ts's store. The mark's box has a fixed width
 * whether empty or not, so filling it in moves nothing; it updates when a cell records a solve.
 */
import { solvedExercises } from './progress';

export function markSolvedInNav(): void {
  const paint = (): void => {
    const solved = solvedExercises();
    for (const mark of document.querySelectorAll<HTMLElement>('.nav-progress[data-exercises]')) {
      const ids = (mark.dataset.exercises ?? '').split(' ').filter(Boolean);
      const done = ids.filter((id) => solved.has(id)).length;
      const text = done === 0 ? '' : done === ids.length ? '✓' : `${done}/${ids.length}`;
      if (mark.dataset.solved === String(done)) continue;
      mark.dataset.solved = String(done);
      mark.replaceChildren();
      if (!text) continue;
      const shown = document.createElement('span');
      shown.setAttribute('aria-hidden', 'true');
      shown.textContent = text;
      const spoken = document.createElement('span');
      spoken.className = 'sr-only';
      spoken.textContent = `${done} of ${ids.length} exercise${ids.length > 1 ? 's' : ''} solved`;
      mark.append(shown, spoken);
    }
  };
  paint();
  window.addEventListener('bn-solved', paint);
  // Another tab solving one updates this list too.
  window.addEventListener('storage', paint);
}
