/**
 * The page's contents: the entry of the section being read is marked (aria-current="location").
 */
const HEADINGS = 'main h2[id], main h3[id]';

/** Marks the contents entry of the last heading above the top fifth of the window. */
export function trackCurrentSection(): void {
  const links = new Map<string, HTMLAnchorElement>();
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.toc a[href^="#"]')) links.set(decodeURIComponent(a.hash.slice(1)), a);
  if (links.size === 0) return;
  const headings = [...document.querySelectorAll<HTMLElement>(HEADINGS)].filter((h) => links.has(h.id));
  let current: HTMLAnchorElement | undefined;
  let pending = 0;
  const update = (): void => {
    pending = 0;
    // At the end of the page the last sections cannot scroll up to the line: count what is in view.
    const atEnd = scrollY + innerHeight >= document.documentElement.scrollHeight - 2;
    const line = atEnd ? innerHeight - 40 : innerHeight / 5;
    let active: HTMLElement | undefined;
    for (const h of headings) {
      if (h.getBoundingClientRect().top <= line) active = h;
      else break;
    }
    const link = active ? links.get(active.id) : undefined;
    if (link === current) return;
    current?.removeAttribute('aria-current');
    link?.setAttribute('aria-current', 'location');
    current = link;
  };
  addEventListener('scroll', () => {
    if (!pending) pending = requestAnimationFrame(update);
  }, { passive: true });
  update();
}
