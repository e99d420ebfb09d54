/**
 * The page's contents: the entry of the section being read is marked (aria-current="location"),
 * and an in-page link keeps its heading at the top while the widgets above it load and grow.
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

/**
 * After a jump to an in-page heading, widgets near it load and may grow (their charts' heights are
 * reserved, but tables and wrapped lines can differ). Until the reader scrolls themselves, and for as
 * long as the page keeps changing size (at most 20 s), the heading is put back at the top.
 */
export function holdHeadingOnJump(): void {
  let target: HTMLElement | undefined;
  let quietBy = 0;
  let hardStop = 0;
  const hold = (id: string): void => {
    const el = document.getElementById(id);
    if (!el) return;
    target = el;
    quietBy = performance.now() + 2500;
    hardStop = performance.now() + 20000;
  };
  const release = (): void => {
    target = undefined;
  };
  document.addEventListener('click', (e) => {
    const link = (e.target as Element | null)?.closest?.('a[href^="#"]');
    if (link) hold(decodeURIComponent((link as HTMLAnchorElement).hash.slice(1)));
  });
  addEventListener('hashchange', () => hold(decodeURIComponent(location.hash.slice(1))));
  if (location.hash) hold(decodeURIComponent(location.hash.slice(1)));
  for (const type of ['wheel', 'touchmove', 'keydown'] as const) addEventListener(type, release, { passive: true });
  new ResizeObserver(() => {
    if (!target) return;
    const now = performance.now();
    // Keep holding while a widget is still loading (tfjs can take seconds), or the page changed size lately.
    const loading = document.querySelector('[data-state="loading"]') !== null;
    if (now > hardStop || (now > quietBy && !loading)) {
      release();
      return;
    }
    quietBy = now + 2500;
    if (Math.abs(target.getBoundingClientRect().top) > 2) target.scrollIntoView({ block: 'start' });
  }).observe(document.body);
}
