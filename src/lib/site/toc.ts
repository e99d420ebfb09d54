/**
 * The page's contents: the entry of the section being read is marked (aria-current="location"),
 * and a jump to a heading keeps it at the top while the widgets near it load and change size.
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
  // In the first frame, not as the script runs: reading positions then forced a layout of the page.
  pending = requestAnimationFrame(update);
}

/** Input that means the reader is scrolling or acting on their own: the page stops holding a heading. */
const READER_INPUT = ['wheel', 'touchstart', 'pointerdown', 'keydown'] as const;
/** How long the page must keep its size, with no widget loading, before a held heading is let go. */
const QUIET_MS = 1500;
/** A held heading is let go after this long even if widgets keep changing (a stuck load, say). */
const HOLD_AT_MOST_MS = 20_000;

/**
 * After a jump to an in-page heading (a contents link, a link with a #fragment, a reload on one),
 * widgets near the heading load and change size, and the heading would drift away from the top.
 * Until the reader scrolls or acts, and until the page has kept its size for a while with no widget
 * loading, the heading is put back at the top every time the page changes size. The scroll is
 * instant: a smooth scroll aims at where the heading was when it started.
 */
export function holdHeadingOnJump(): void {
  let target: HTMLElement | undefined;
  let quietTimer = 0;
  let giveUpAt = 0;
  const release = (): void => {
    target = undefined;
    clearTimeout(quietTimer);
  };
  const loading = (): boolean => document.querySelector('[data-state="loading"]') !== null;
  const releaseWhenQuiet = (): void => {
    clearTimeout(quietTimer);
    quietTimer = window.setTimeout(() => (loading() ? releaseWhenQuiet() : release()), QUIET_MS);
  };
  const reanchor = (): void => {
    if (!target) return;
    if (performance.now() > giveUpAt) return release();
    // scroll-margin-top is honoured by scrollIntoView, so the heading lands where a plain jump puts it.
    target.scrollIntoView({ block: 'start', behavior: 'instant' });
    releaseWhenQuiet();
  };
  const hold = (fragment: string): void => {
    const el = fragment ? document.getElementById(decodeURIComponent(fragment)) : null;
    if (!el) return;
    target = el;
    giveUpAt = performance.now() + HOLD_AT_MOST_MS;
    reanchor();
  };
  for (const type of READER_INPUT) addEventListener(type, release, { passive: true, capture: true });
  // A click on a link to the fragment already in the address bar fires no hashchange: take the click.
  document.addEventListener('click', (e) => {
    const link = (e.target as Element | null)?.closest?.<HTMLAnchorElement>('a[href^="#"]');
    if (link && link.hash) requestAnimationFrame(() => hold(link.hash.slice(1)));
  });
  addEventListener('hashchange', () => hold(location.hash.slice(1)));
  new ResizeObserver(reanchor).observe(document.documentElement);
  if (location.hash) hold(location.hash.slice(1));
}
