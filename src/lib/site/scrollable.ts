const SCROLLERS = '.katex-display, .prose table, .prose pre';

/**
 * Wide formulas, tables and code scroll sideways on narrow screens. A region that scrolls must be
 * reachable by keyboard, so those that overflow right now get a tab stop (and lose it when the
 * window grows wide enough).
 */
export function markScrollable(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>(SCROLLERS)) {
    if (el.scrollWidth > el.clientWidth + 1) el.tabIndex = 0;
    else el.removeAttribute('tabindex');
  }
}

export function watchScrollable(): void {
  markScrollable();
  // KaTeX's fonts change formula widths when they arrive.
  void document.fonts?.ready.then(() => markScrollable());
  let pending = 0;
  addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => markScrollable());
  });
}
