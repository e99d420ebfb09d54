import { readdirSync } from 'node:fs';
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

/**
 * Every chapter ends with Key points, Questions and References (issue 29). The chapters are read
 * from content/, so a new chapter is checked without editing this file.
 */
const CHAPTERS = readdirSync('content')
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => f.replace(/\.mdx$/, ''))
  .sort();

test('the chapter list is read from content/', () => {
  expect(CHAPTERS.length).toBeGreaterThanOrEqual(7);
  expect(CHAPTERS).toContain('the-transform');
});

/** Pages fetched once per worker for the internal-link check: path → HTML (or the failing status). */
const fetched = new Map<string, Promise<{ status: number; html: string }>>();

async function pageAt(page: Page, path: string): Promise<{ status: number; html: string }> {
  if (!fetched.has(path)) fetched.set(path, page.request.get(path).then(async (res) => ({ status: res.status(), html: res.ok() ? await res.text() : '' })));
  return fetched.get(path)!;
}

// One page load per chapter, its checks as steps: the suite runs in CI with one core busy.
for (const slug of CHAPTERS) {
  test(`chapter ${slug}: key points, questions, references, citations and links`, async ({ page, baseURL, expectClean }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/chapters/${slug}/`);

    await test.step('ends with Key points, Questions and References, in that order', async () => {
      const keyPoints = page.getByRole('region', { name: 'Key points' });
      await expect(keyPoints.getByRole('heading', { level: 2, name: 'Key points' })).toBeVisible();
      const points = await keyPoints.getByRole('listitem').count();
      expect(points).toBeGreaterThanOrEqual(3);
      expect(points).toBeLessThanOrEqual(5);
      const order = await page.locator('main article h2').evaluateAll((hs) => hs.map((h) => h.textContent!.trim()).slice(-3));
      expect(order).toEqual(['Key points', 'Questions', 'References']);
    });

    await test.step('questions hide their answers until revealed, by mouse or keyboard', async () => {
      const questions = page.getByRole('region', { name: 'Questions' }).locator('li.question');
      const count = await questions.count();
      expect(count).toBeGreaterThanOrEqual(2);
      expect(count).toBeLessThanOrEqual(4);
      for (let i = 0; i < count; i++) {
        const answer = questions.nth(i).locator('details.question-answer');
        await expect(answer).not.toHaveAttribute('open');
        await expect(answer.locator(':scope > :not(summary)')).toBeHidden();
      }
      // The first by a click, the second from the keyboard (Enter), the first closed again with Space.
      const first = questions.nth(0).locator('details.question-answer');
      await first.getByText('Show answer').click();
      await expect(first).toHaveAttribute('open');
      await expect(first.locator(':scope > :not(summary)')).toBeVisible();
      const second = questions.nth(1).locator('details.question-answer');
      await second.locator('summary').focus();
      await page.keyboard.press('Enter');
      await expect(second).toHaveAttribute('open');
      await expect(second.locator(':scope > :not(summary)')).toBeVisible();
      await first.locator('summary').focus();
      await page.keyboard.press('Space');
      await expect(first).not.toHaveAttribute('open');
    });

    await test.step('a numeric question checks what is typed and announces the verdict', async () => {
      const form = page.getByRole('region', { name: 'Questions' }).locator('form.question-check').first();
      await expect(form).toHaveCount(1);
      const input = form.getByRole('textbox', { name: 'Your answer' });
      const verdict = form.getByRole('status');
      await expect(verdict).toHaveAttribute('aria-live', 'polite');
      await expect(verdict).toBeEmpty();
      const answer = Number(await form.getAttribute('data-answer'));
      const tolerance = Number(await form.getAttribute('data-tolerance'));
      // Not a number: said so, and the input marked invalid.
      await input.fill('twelve');
      await form.getByRole('button', { name: 'Check' }).click();
      await expect(verdict).toContainText('not a number');
      await expect(input).toHaveAttribute('aria-invalid', 'true');
      // Too high, submitted from the keyboard.
      await input.fill(String(answer + 10 * tolerance + 1));
      await input.press('Enter');
      await expect(verdict).toContainText('too high');
      // Right, at the edge of the tolerance.
      await input.fill(String(answer - 0.9 * tolerance));
      await input.press('Enter');
      await expect(verdict).toContainText('Right');
      await expect(input).toHaveAttribute('aria-invalid', 'false');
    });

    await test.step('references are external links, and every citation points to one on the page', async () => {
      const references = page.getByRole('region', { name: 'References' });
      const entries = references.locator('li[id^="ref-"]');
      const ids = await entries.evaluateAll((lis) => lis.map((li) => li.id));
      expect(ids.length).toBeGreaterThanOrEqual(1);
      const site = new URL(baseURL!).origin;
      for (const id of ids) {
        const links = await references.locator(`li[id="${id}"] a[href]`).evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
        expect(links.length, id).toBeGreaterThanOrEqual(1);
        for (const href of links) {
          expect(href, id).toMatch(/^https:\/\//);
          expect(new URL(href).origin, id).not.toBe(site);
        }
      }
      const cited = await page.locator('main article a.cite').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
      expect(cited.length).toBeGreaterThanOrEqual(1);
      for (const href of cited) expect(ids.map((id) => `#${id}`), `citation ${href}`).toContain(href);
      // Each listed entry is cited somewhere on the page.
      for (const id of ids) expect(cited, `entry ${id}`).toContain(`#${id}`);
      // Following a citation lands on its entry.
      const firstCite = page.locator('main article a.cite').first();
      const target = (await firstCite.getAttribute('href'))!;
      await firstCite.click();
      await expect(page).toHaveURL(new RegExp(`${target}$`));
      await expect(page.locator(target)).toBeInViewport();
    });

    await test.step('no internal link on the page is broken', async () => {
      const site = new URL(baseURL!).origin;
      const hrefs = await page.locator('main a[href], nav a[href], aside a[href]').evaluateAll((as) => [...new Set(as.map((a) => (a as HTMLAnchorElement).href))]);
      const internal = hrefs.filter((h) => new URL(h).origin === site);
      expect(internal.length).toBeGreaterThan(0);
      const ownIds = new Set(await page.locator('[id]').evaluateAll((els) => els.map((el) => el.id)));
      const here = new URL(page.url()).pathname;
      for (const href of internal) {
        const url = new URL(href);
        const fragment = decodeURIComponent(url.hash.slice(1));
        if (url.pathname === here) {
          if (fragment) expect(ownIds.has(fragment), `${href} on ${here}`).toBe(true);
          continue;
        }
        const target = await pageAt(page, url.pathname);
        expect(target.status, `${href} on ${here}`).toBe(200);
        if (fragment) expect(target.html, `${href} on ${here}`).toMatch(new RegExp(`id="${fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
      }
    });

    expectClean();
  });
}
