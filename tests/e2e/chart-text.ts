import type { Page } from '@playwright/test';

/**
 * What is wrong with the text of the charts inside `root` as drawn: text under 12 px (computed
 * size times the SVG's scale; KaTeX aside), text outside its SVG, two texts of one chart over each
 * other (an axis label on its last tick, say), legends under 12 px. Empty when all is well.
 */
export function chartTextProblems(page: Page, root: string): Promise<string[]> {
  return page.evaluate((rootSelector) => {
    const found: string[] = [];
    for (const svg of document.querySelectorAll<SVGSVGElement>(`${rootSelector} svg`)) {
      if (svg.closest('.katex')) continue;
      const frame = svg.getBoundingClientRect();
      if (frame.width === 0) continue;
      const viewBox = svg.viewBox.baseVal;
      const scale = viewBox && viewBox.width ? frame.width / viewBox.width : 1;
      const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent?.trim());
      const boxes = texts.map((t) => t.getBoundingClientRect());
      texts.forEach((text, i) => {
        const size = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (size < 11.95) found.push(`"${text.textContent}" ${size.toFixed(1)} px`);
        const box = boxes[i]!;
        if (box.left < frame.left - 1 || box.right > frame.right + 1 || box.top < frame.top - 1 || box.bottom > frame.bottom + 1) found.push(`"${text.textContent}" outside its chart`);
        for (let j = i + 1; j < boxes.length; j++) {
          const other = boxes[j]!;
          if (Math.min(box.right, other.right) - Math.max(box.left, other.left) > 2 && Math.min(box.bottom, other.bottom) - Math.max(box.top, other.top) > 2) found.push(`"${text.textContent}" over "${texts[j]!.textContent}"`);
        }
      });
    }
    for (const legend of document.querySelectorAll<HTMLElement>(`${rootSelector} .plot [class*="-swatches"]`)) {
      const size = parseFloat(getComputedStyle(legend).fontSize);
      if (size < 12) found.push(`legend "${legend.textContent}" ${size} px`);
    }
    return found;
  }, root);
}
