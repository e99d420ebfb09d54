import { test, expect } from './fixtures';
import { describeLongRun, flatnessProblems, longRun } from './long-run';

// The 500-step version of `npm run bench`'s 5,000-step long run (tests/e2e/long-run.ts): what the
// worker, the page and IndexedDB hold grows no more than the curves account for.
test('a seeded 500-step twin run on WASM stays flat: worker tensors, JS heap, chart elements, saved-run bytes', async ({ page, expectClean }) => {
  test.setTimeout(420_000);
  const samples = await longRun(page, 500, 100);
  test.info().annotations.push({ type: 'long run', description: describeLongRun(samples) });
  expect(samples[1].step).toBe(500);
  expect(samples[0].indexedDbBytes, 'the run is saved').toBeGreaterThan(0);
  expect(samples[0].chartElements, 'charts drawn').toBeGreaterThan(0);
  expect(flatnessProblems(samples), describeLongRun(samples)).toEqual([]);
  await expect(page.locator('p[data-status]')).toContainText('Finished: 500 steps', { timeout: 120_000 });
  expectClean();
});
