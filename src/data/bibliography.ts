/**
 * The site's one bibliography. Chapters cite an entry with `<Cite id="key" />` and list what they
 * cite with `<References />`; both read this file at build time (no request to another origin).
 * Keys are the first author's surname and the year, lower case, with a letter added on a clash.
 * `url` is where a reader finds the work: arXiv, a DOI, or the official documentation.
 */
export interface Reference {
  /** Full names in the order the work lists them (an organisation counts as one name). */
  authors: readonly string[];
  /** How the text names the authors when their surnames would not do (documentation: "PyTorch"). */
  citedAs?: string;
  title: string;
  /** Journal, conference, "arXiv preprint", or the documentation's publisher. */
  venue: string;
  year: number;
  url: string;
}

export const BIBLIOGRAPHY = {
  ioffe2015: {
    authors: ['Sergey Ioffe', 'Christian Szegedy'],
    title: 'Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift',
    venue: 'ICML 2015',
    year: 2015,
    url: 'https://arxiv.org/abs/1502.03167',
  },
} as const satisfies Record<string, Reference>;

export type CitationKey = keyof typeof BIBLIOGRAPHY;

export const isCitationKey = (key: string): key is CitationKey => Object.hasOwn(BIBLIOGRAPHY, key);

/** The entry for `key`; an unknown key fails the build, naming the key. */
export function reference(key: string): Reference {
  if (!isCitationKey(key)) throw new Error(`No bibliography entry "${key}" in src/data/bibliography.ts`);
  return BIBLIOGRAPHY[key];
}

const surname = (name: string): string => name.trim().split(/\s+/).at(-1) ?? name;

/** The authors as cited in the text: "Ioffe & Szegedy", "Wu et al.", "PyTorch". */
export function citedAuthors(ref: Reference): string {
  if (ref.citedAs) return ref.citedAs;
  const names = ref.authors.map(surname);
  if (names.length === 1) return names[0]!;
  if (names.length === 2) return `${names[0]} & ${names[1]}`;
  return `${names[0]} et al.`;
}

/** The id of an entry's list item in a chapter's references (the target of its citations). */
export const referenceAnchor = (key: string): string => `ref-${key}`;

/** Keys in the order of a reference list: first author's surname, then year, then key. */
export function referenceOrder(a: string, b: string): number {
  const ra = reference(a);
  const rb = reference(b);
  return citedAuthors(ra).localeCompare(citedAuthors(rb)) || ra.year - rb.year || a.localeCompare(b);
}

/** The citation keys an MDX source cites with <Cite id="…">, in order of first use, each once. */
export function citedKeys(source: string): string[] {
  const keys = [...source.matchAll(/<Cite\b[^>]*?\bid=["']([^"']+)["']/g)].map((m) => m[1]!);
  return [...new Set(keys)];
}
