import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { test, expect } from '@playwright/test';

/**
 * KaTeX's MathML must be well-formed: Firefox renders it natively and reports a script with the wrong
 * number of children as a page error ("Incorrect number of children for <msub/> tag"), which
 * Chromium ignores. `r_{\max}` did this (`\max` adds a function-application operator to the
 * subscript); `r_\text{max}` does not. Reads the built pages, so it needs no browser.
 */
const CHILDREN: Record<string, number> = { msub: 2, msup: 2, mfrac: 2, mroot: 2, munder: 2, mover: 2, msubsup: 3, munderover: 3 };

function builtPages(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return builtPages(path);
    return entry.name === 'index.html' ? [path] : [];
  });
}

test('every built page’s MathML has the children each script and fraction requires', () => {
  const pages = builtPages('dist');
  expect(pages.length).toBeGreaterThan(8);
  const wrong: string[] = [];
  for (const path of pages) {
    const { document } = new JSDOM(readFileSync(path, 'utf8')).window;
    for (const el of document.querySelectorAll(Object.keys(CHILDREN).join(','))) {
      if (el.children.length === CHILDREN[el.localName]) continue;
      const tex = el.closest('semantics')?.querySelector('annotation')?.textContent ?? '';
      wrong.push(`${path}: <${el.localName}> with ${el.children.length} children in ${tex.slice(0, 80)}`);
    }
  }
  expect(wrong).toEqual([]);
});
