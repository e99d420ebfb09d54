const SCROLLERS = '.katex-display, .prose table, .prose pre';

/**
 * Wide formulas, tables and code scroll sideways on narrow screens. A region that scrolls must be
 * reachable by keyboard, so those that overflow right now get a tab stop (and lose it when the
 * window grows wide enough).
 */
export function markScrollable(root: ParentNode = document): void {
  mark([...root.querySelectorAll<HTMLElement>(SCROLLERS)]);
}

/**
 * All widths are read before any tab stop changes: a change invalidates the page's style, and a
 * read after it would force the browser to lay the page out again, once per element.
 */
function mark(elements: HTMLElement[]): void {
  const overflowing = elements.map((el) => el.scrollWidth > el.clientWidth + 1);
  elements.forEach((el, i) => {
    if (overflowing[i] === el.hasAttribute('tabindex')) return;
    if (overflowing[i]) el.tabIndex = 0;
    else el.removeAttribute('tabindex');
  });
}

/**
 * Marks the page's scrollers and keeps them marked as the window or the fonts change. Measured in
 * ResizeObserver callbacks, which run after the browser's own layout, never by forcing one: on a
 * chapter with 60 formulas, measuring them all as the page's script ran was a 350 ms task on a
 * mid-range phone (Lighthouse's mobile preset).
 */
export function watchScrollable(): void {
  const observer = new ResizeObserver((entries) => {
    mark(entries.map((entry) => entry.target as HTMLElement));
  });
  // Observing reports each element once after the next layout; its box then reports resizes.
  const observeAll = (): void => {
    for (const el of document.querySelectorAll<HTMLElement>(SCROLLERS)) {
      observer.unobserve(el);
      observer.observe(el);
    }
  };
  observeAll();
  // KaTeX's fonts change a formula's width inside a box of the same size: measure again once they are in.
  void document.fonts?.ready.then(observeAll);
}
