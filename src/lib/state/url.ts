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
