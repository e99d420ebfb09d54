/**
 * The chapter list's marks: beside each chapter, how many of its exercises the reader solved
 * ("✓" when all, "1/2" when some), read from progress.ts's store (its key is repeated here so
 * this first-paint script stays small). The mark's box has a fixed width, empty or not, so
 * filling it in moves nothing; it updates when a cell records a solve, or another tab does.
 */
export function markSolvedInNav(): void {
  const paint = (): void => {
    let solved: unknown = [];
    try {
      solved = JSON.parse(localStorage.getItem('bn-solved') ?? '[]');
    } catch {
      // Unreadable or disabled storage: no marks.
    }
    for (const mark of document.querySelectorAll<HTMLElement>('.nav-progress')) {
      const ids = mark.dataset.exercises!.split(' ');
      const n = ids.length;
      const done = Array.isArray(solved) ? ids.filter((id) => solved.includes(id)).length : 0;
      // Numbers only go into this markup.
      mark.innerHTML = done ? `<span aria-hidden="true">${done < n ? `${done}/${n}` : '✓'}</span><span class="sr-only">${done} of ${n} exercise${n > 1 ? 's' : ''} solved</span>` : '';
    }
  };
  paint();
  addEventListener('bn-solved', paint);
  addEventListener('storage', paint);
}
