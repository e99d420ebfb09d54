/**
 * The settings form and the page's link: the form shows the settings whenever the page sets them
 * itself (a link, a loaded run, an experiment, a failover), marks the fields that were not
 * applied, keeps the folded panel's one-line summary current, and the link follows the settings.
 */
import { BACKEND_CHOICES, OPTIMIZERS, TWIN_NORM_SHORT } from '../../../src/lib/train/config';
import type { Params } from '../../../src/lib/state/url';
import { need } from '../../../src/lib/widget/dom';
import { settingsToParams, writeSettingsLink } from '../settings';
import type { Panel } from '../panel';

/** Where the lab becomes one screen (global.css's 68.75rem breakpoint): settings open, charts beside them. */
export const ONE_SCREEN = '(min-width: 68.75rem)';

export interface SettingsForm extends Panel {
  /** What the reader has entered (the settings' fields, not the chart's layer). */
  values(): Params;
}

/** The folded settings' one-line summary: "Settings: CNN · BN · Adam 0.01 · batch 32 · WASM". */
export function summary(values: Params): string {
  const value = (name: string) => values[name] ?? '';
  const label = (options: ReadonlyArray<readonly [string, string]>, name: string) => (options.find(([v]) => v === value(name))?.[1] ?? value(name)).split(/[:(]/)[0]!.trim();
  const norm = TWIN_NORM_SHORT[value('norm') as keyof typeof TWIN_NORM_SHORT] ?? value('norm');
  const backend = value('backend') === 'auto' ? 'fastest backend' : label(BACKEND_CHOICES, 'backend');
  return `Settings: ${value('preset').toUpperCase()} · ${norm} · ${label(OPTIMIZERS, 'opt')} ${value('lr')} · batch ${value('batch')} · ${backend}`;
}

export function settingsForm(root: HTMLElement): SettingsForm {
  const form = need<HTMLFormElement>(root, 'form');
  const summaryLine = need<HTMLElement>(root, '[data-settings-summary]');
  const fields = (): Array<HTMLInputElement | HTMLSelectElement> =>
    (Array.from(form.elements) as Array<HTMLInputElement | HTMLSelectElement>).filter((el) => el.name && el.name !== 'layer');
  const values = (): Params => Object.fromEntries(fields().map((el) => [el.name, el.value]));
  const summarize = (): void => {
    summaryLine.textContent = summary(values());
  };
  form.addEventListener('input', summarize);
  // Folded on phones so Start and the loss chart come first; open where the side column has room.
  need<HTMLDetailsElement>(root, 'details.lab-settings').open = matchMedia(ONE_SCREEN).matches;

  return {
    values,
    render(s, prev) {
      if (s.formVersion !== prev?.formVersion) {
        for (const [name, value] of Object.entries(settingsToParams(s.settings))) {
          const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
          if (field) field.value = value;
        }
        summarize();
      }
      if (prev && s.settings !== prev.settings) writeSettingsLink(s.settings);
      if (s.invalidFields !== prev?.invalidFields) {
        for (const el of fields()) {
          if (s.invalidFields.includes(el.name)) el.setAttribute('aria-invalid', 'true');
          else el.removeAttribute('aria-invalid');
        }
      }
    },
    dispose: () => form.removeEventListener('input', summarize),
  };
}
