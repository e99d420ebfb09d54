import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation { id: string; impact: string | null; nodes: Array<{ target: string[] }> }
declare global {
  interface Window {
    axe?: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> };
  }
}

/**
 * axe-core's violations on the page (or in the elements `include` selects), one line each: rule,
 * impact and the first three elements. axe is injected once per document and run in it:
 * @axe-core/playwright's AxeBuilder injects it again into every frame and finishes each run in a
 * page of its own, about 3 s a run on a chapter here beside 1–3 s for the rules themselves. The
 * only frame the site makes is the code cells' sandbox, hidden and aria-hidden with nothing for a
 * reader in it, so frames are not entered, and a visible frame is reported rather than skipped.
 * `rules` runs those rules only (the dark theme changes colours only).
 */
export async function axeViolations(page: Page, { include, rules }: { include?: string[]; rules?: string[] } = {}): Promise<string[]> {
  const visibleFrames = await page.locator('iframe:not([hidden])').count();
  if (visibleFrames) return [`${visibleFrames} visible iframe(s), which this check does not enter`];
  if (!(await page.evaluate(() => window.axe !== undefined))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    ({ include, rules }) => window.axe!.run(include ? { include: include.map((s) => [s]) } : document, { iframes: false, ...(rules ? { runOnly: rules } : {}) }).then((r) => r.violations),
    { include, rules },
  );
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/**
 * axe on the elements `include` selects in the light theme and then the dark (the theme follows
 * prefers-color-scheme), each violation prefixed by its theme; the page is left in the dark theme.
 */
export async function axeInBothThemes(page: Page, include: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    found.push(...(await axeViolations(page, { include })).map((v) => `${scheme}: ${v}`));
  }
  return found;
}
