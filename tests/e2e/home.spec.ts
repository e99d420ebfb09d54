import { test, expect } from './fixtures';

const parse = (s: string) => Number(s.replace('−', '-'));

test('home figure: dragging a value by keyboard renormalizes the batch', async ({ page }) => {
  await page.goto('/');
  const figure = page.locator('bn-home-batch');
  const handles = figure.getByRole('slider');
  await expect(handles).toHaveCount(8);
  const values = async () => Promise.all((await handles.all()).map(async (h) => Number(await h.getAttribute('aria-valuenow'))));
  const normalized = async () =>
    Promise.all((await handles.all()).map(async (h) => parse(/normalized (\S+)$/.exec((await h.getAttribute('aria-valuetext')) ?? '')![1]!)));
  // Move the largest value far out with Shift+ArrowRight (1 per press) and the first one up by 0.1.
  await handles.nth(7).focus();
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await handles.nth(0).focus();
  await page.keyboard.press('ArrowRight');
  await expect(handles.nth(7)).toHaveAttribute('aria-valuenow', '9.5');
  await expect(handles.nth(0)).toHaveAttribute('aria-valuenow', '-5.9');
  const x = await values();
  // The readouts and x̂ follow Algorithm 1, recomputed here.
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const std = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
  await expect(figure.locator('[data-out="mean"]')).toHaveText(mean.toFixed(2).replace('-', '−'));
  await expect(figure.locator('[data-out="std"]')).toHaveText(std.toFixed(2));
  const xHat = await normalized();
  x.forEach((v, i) => expect(xHat[i]!).toBeCloseTo((v - mean) / Math.sqrt(std ** 2 + 1e-5), 2));
  expect(Math.abs(xHat.reduce((a, b) => a + b, 0) / 8)).toBeLessThan(0.01);
  // A drag moves a value too.
  const box = (await handles.nth(3).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  expect(Number(await handles.nth(3).getAttribute('aria-valuenow'))).toBeGreaterThan(-1);
});
