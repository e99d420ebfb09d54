import { test, expect } from './fixtures';
import { EXPERIMENTS } from '../../components/lab/experiments';

/**
 * Each guided experiment run as a reader would (prediction first, then Run), seeded on WASM:
 * its verdict must agree with its claim, and the explanation must follow. The seeds are ones
 * where the claim holds (a reader's other seed may not show it; the verdict then says so).
 */
const SEED: Record<string, number> = {
  'guided-lr': 1,
  'guided-figure-1': 1,
  'guided-batch-2': 1,
  'guided-alone': 1,
  'guided-noisy': 1,
  'guided-after': 1,
};

test.describe('guided experiments', () => {
  for (const e of EXPERIMENTS.filter((x) => x.guide)) {
    test(`${e.label}: the reader predicts, the run answers, the verdict agrees with the claim`, async ({ page, expectClean }) => {
      test.setTimeout(240_000);
      await page.goto(`/lab/?seed=${SEED[e.id]}&backend=wasm&v=2`);
      const lab = page.locator('bn-lab');
      await expect(lab).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
      const item = page.locator(`[data-guide="${e.id}"]`);
      const run = item.getByRole('button', { name: `Run: ${e.label}` });
      // Running before predicting asks for the prediction first, and runs nothing.
      await run.click();
      await expect(item.locator('[data-guide-hint]')).toHaveText(/Choose your prediction first/);
      await expect(item.getByRole('radio').first()).toBeFocused();
      await expect(lab).toHaveAttribute('data-phase', 'ready');
      // The radio group works from the keyboard: arrow keys move the choice.
      await page.keyboard.press('ArrowDown');
      const expected = e.guide!.choices.find((c) => c.id === e.guide!.expected)!;
      await item.getByRole('radio', { name: expected.text }).check();
      await run.click();
      await expect(item).toHaveAttribute('data-state', 'done', { timeout: 220_000 });
      await expect(item).toHaveAttribute('data-holds', 'true');
      await expect(item.locator('[data-guide-prediction]')).toHaveText(`You predicted: ${expected.text}. The run agrees.`);
      await expect(item.locator('[data-guide-verdict]')).toHaveText(/^This run: /);
      await expect(item.locator('[data-guide-explanation]')).not.toBeEmpty();
      // The link reproduces it: every setting, the link version and the experiment.
      const href = await item.locator('[data-guide-link]').getAttribute('href');
      expect(href).toContain(`experiment=${e.id}`);
      expect(href).toContain(`seed=${SEED[e.id]}`);
      expect(href).toContain('v=2');
      expectClean();
    });
  }

  test('a run that does not show the claim says so: the captions and a guided verdict', async ({ page, expectClean }) => {
    test.setTimeout(180_000);
    // BN built but never called: both twins compute the same thing, so neither claim can hold.
    await page.goto('/lab/?v=2&norm=unused-bn&steps=20&seed=1&backend=wasm&autostart=1');
    await expect(page.locator('p[data-status]')).toContainText('Finished', { timeout: 150_000 });
    await expect(page.locator('[data-verdict="loss"]')).toHaveText(/^Not in this run: both networks' training losses averaged [\d.]+ over steps 1–20;/);
    await expect(page.locator('[data-verdict="loss"]')).toHaveAttribute('data-holds', 'false');
    await expect(page.locator('[data-verdict="accuracy"]')).toHaveText(/^Not in this run: the two networks were level at step 20 \([\d.]+%\)/);
    expectClean();
  });

  test('a link opens the lab at its experiment, with its settings, prediction first', async ({ page }) => {
    const e = EXPERIMENTS.find((x) => x.id === 'guided-figure-1')!;
    await page.goto(`/lab/?v=2&preset=mlp&opt=sgd&lr=0.5&batch=60&steps=200&seed=3&backend=wasm&experiment=${e.id}#guide-${e.id}`);
    await expect(page.locator('bn-lab')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
    await expect(page.locator(`[data-guide="${e.id}"]`).getByRole('radio').first()).toBeFocused();
    await expect(page.locator('#lab-seed')).toHaveValue('3');
    await expect(page.locator('[data-verdict="accuracy"]')).toHaveText('This run: checked at the evaluation of step 100.');
  });
});
