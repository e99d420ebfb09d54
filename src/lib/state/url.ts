/**
 * Widget state in the URL query, so a link reproduces what the reader sees. Each widget owns
 * the parameters under its own prefix (`t.values`, `d.mean`, …); the lab owns the whole query
 * (prefix ''). Values from the URL are only ever parsed as numbers or matched against known
 * choices (src/lib/widget/schema.ts) — never evaluated or inserted as HTML. Only the widget
 * runtime and the lab's settings call these.
 */
export type Params = Record<string, string>;

const owns = (key: string, prefix: string): boolean => prefix === '' || key.startsWith(`${prefix}.`);

/** The parameters under `prefix.` in a query string (all of them when the prefix is empty). */
export function paramsIn(search: string, prefix: string): Params {
  const out: Params = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (owns(key, prefix)) out[prefix === '' ? key : key.slice(prefix.length + 1)] = value;
  }
  return out;
}

/** Replaces this prefix's parameters in the page's URL without adding a history entry. */
export function writeParams(prefix: string, params: Params): void {
  const url = new URL(location.href);
  for (const key of [...url.searchParams.keys()]) if (owns(key, prefix)) url.searchParams.delete(key);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(prefix === '' ? key : `${prefix}.${key}`, value);
  history.replaceState(history.state, '', url);
}

/**
 * A URL value for a single-line text field: line breaks become spaces (an input would silently
 * drop them and merge "10\n20" into "1020") and overlong values are cut; the field's own
 * validation then judges the text.
 */
export const fieldText = (raw: string, maxLength = 100_000): string => raw.replace(/[\r\n]+/g, ' ').slice(0, maxLength);

// LEGACY (removed once every widget runs on src/lib/widget/runtime.ts)
export function readParams(prefix: string, search: string = location.search): Params {
  const out: Params = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (key.startsWith(`${prefix}.`)) out[key.slice(prefix.length + 1)] = value;
  }
  return out;
}
export interface NumberRule {
  min: number;
  max: number;
  integer?: boolean;
}

/** Problems found while reading URL parameters; widgets show them and fall back to defaults. */
export class ParamProblems {
  readonly messages: string[] = [];

  number(params: Params, key: string, rule: NumberRule, fallback: number): number {
    const raw = params[key];
    if (raw === undefined) return fallback;
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    const ok = Number.isFinite(value) && value >= rule.min && value <= rule.max && (!rule.integer || Number.isInteger(value));
    if (ok) return value;
    this.messages.push(
      `Link parameter "${key}" must be ${rule.integer ? 'a whole number' : 'a number'} from ${rule.min} to ${rule.max}; using ${fallback}.`,
    );
    return fallback;
  }

  choice<T extends string>(params: Params, key: string, choices: readonly T[], fallback: T): T {
    const raw = params[key];
    if (raw === undefined) return fallback;
    if ((choices as readonly string[]).includes(raw)) return raw as T;
    this.messages.push(`Link parameter "${key}" must be one of ${choices.join(', ')}; using ${fallback}.`);
    return fallback;
  }
}
