type Theme = 'light' | 'dark';

const STORAGE_KEY = 'theme';

function currentTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The toggle is hidden until JS runs: without JS the OS preference applies. */
export function bindThemeToggle(): void {
  const button = document.getElementById('theme-toggle');
  if (!button) return;
  const sync = (): void => {
    const dark = currentTheme() === 'dark';
    button.setAttribute('aria-pressed', String(dark));
    button.title = dark ? 'Switch to light theme' : 'Switch to dark theme';
  };
  button.hidden = false;
  sync();
  button.addEventListener('click', () => {
    const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage may be blocked (private mode); the choice then lasts for this page only.
    }
    sync();
    document.dispatchEvent(new CustomEvent('themechange', { detail: next }));
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', sync);
}
