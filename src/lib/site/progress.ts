/**
 * Which exercises the reader has solved, kept in the browser like the cells' code: a JSON list
 * of exercise ids under one localStorage key. The code cells write it; the chapter list reads it
 * (nav-progress.ts, which repeats the key rather than import this module).
 */
export const SOLVED_KEY = 'bn-solved';

export function solvedExercises(): Set<string> {
  try {
    const ids = JSON.parse(localStorage.getItem(SOLVED_KEY) ?? '[]') as unknown;
    return new Set(Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

/** Records a solved exercise and tells the page's chapter list (a 'bn-solved' event on window). */
export function markSolved(id: string): void {
  const solved = solvedExercises();
  if (solved.has(id)) return;
  solved.add(id);
  try {
    localStorage.setItem(SOLVED_KEY, JSON.stringify([...solved]));
  } catch {
    // Storage full or disabled: the mark is simply not kept.
  }
  window.dispatchEvent(new Event('bn-solved'));
}
