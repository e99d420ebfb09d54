/**
 * A widget's parameters, declared once. The `.astro` shell takes its controls' bounds, labels and
 * defaults from here, the runtime (runtime.ts) reads and writes the URL and validates the
 * reader's input with it, and the bad-input browser test loops over it. This module is pure (no
 * DOM, no tfjs), so shells at build time and tests in Node can import it.
 */
import { fieldText } from '../state/url';


export interface NumberParam {
  kind: 'number';
  label: string;
  min: number;
  max: number;
  /** The control's step; `'any'` for typed number fields. */
  step: number | 'any';
  default: number;
  integer?: boolean;
  /** How the value is shown beside its slider (`1e-5` for a log10 slider, say). */
  display?: (value: number) => string;
  /** Kept on the page only, not in a shared link. */
  url?: false;
}

export interface ChoiceParam<V extends string = string> {
  kind: 'choice';
  label: string;
  /** Value and the text the reader sees. */
  options: ReadonlyArray<readonly [V, string]>;
  default: V;
  url?: false;
}

export interface FlagParam {
  kind: 'flag';
  label: string;
  default: boolean;
  url?: false;
}

export interface TextParam {
  kind: 'text';
  label: string;
  default: string;
  maxLength?: number;
  /** The field's own validation: a message for the reader, or null when the text is usable. */
  check?: (text: string) => string | null;
  url?: false;
}

/** The seed of the widget's random sample: no control, in the link, advanced by "resample". */
export interface SeedParam {
  kind: 'seed';
  default: number;
}

export type ParamSpec = NumberParam | ChoiceParam | FlagParam | TextParam | SeedParam;
export type ParamSpecs = Record<string, ParamSpec>;

export interface WidgetSchema<P extends ParamSpecs = ParamSpecs> {
  /** The custom element's tag, `bn-…`. */
  tag: string;
  /** The URL prefix (`dist` gives `?dist.mean=…`) and the default element id. */
  prefix: string;
  params: P;
}

type ValueOf<S extends ParamSpec> = S extends NumberParam | SeedParam
  ? number
  : S extends ChoiceParam<infer V>
    ? V
    : S extends FlagParam
      ? boolean
      : string;

/** A widget's state: one value per declared parameter. */
export type State<P extends ParamSpecs> = { -readonly [K in keyof P]: ValueOf<P[K]> };

/** Declares a schema; `const` keeps the choices' literal types for the widget's state. */
export const defineSchema = <const P extends ParamSpecs>(schema: WidgetSchema<P>): WidgetSchema<P> => schema;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export const SEED_RANGE = { min: 0, max: 2 ** 31 - 1 } as const;

/** The one way a widget draws a new sample: the next Park–Miller state, never 0. */
export const nextSeed = (seed: number): number => ((Math.max(1, seed) * 48271) % 2147483647) || 1;

export const defaults = <P extends ParamSpecs>(schema: WidgetSchema<P>): State<P> =>
  Object.fromEntries(Object.entries(schema.params).map(([k, spec]) => [k, spec.default])) as State<P>;

const rangeText = (spec: { min: number; max: number; integer?: boolean }): string =>
  `${spec.integer ? 'a whole number' : 'a number'} from ${spec.min} to ${spec.max}`;

/**
 * Reads one value from text (a link parameter or a control). Returns the value, or a message
 * saying what was expected; text values always come back (the field's check judges them).
 */
export function readValue(spec: ParamSpec, raw: string): { value: number | string | boolean } | { expected: string } {
  switch (spec.kind) {
    case 'number':
    case 'seed': {
      const rule: { min: number; max: number; integer?: boolean } = spec.kind === 'seed' ? { ...SEED_RANGE, integer: true } : spec;
      // Plain decimals only: Number() would also take '0x10', '0b1' and ' '.
      const value = DECIMAL.test(raw.trim()) ? Number(raw) : Number.NaN;
      const ok = Number.isFinite(value) && value >= rule.min && value <= rule.max && (!rule.integer || Number.isInteger(value));
      return ok ? { value: value } : { expected: rangeText(rule) };
    }
    case 'choice': {
      const hit = spec.options.find(([v]) => v === raw);
      return hit ? { value: hit[0] } : { expected: `one of ${spec.options.map(([v]) => v).join(', ')}` };
    }
    case 'flag':
      if (raw === '1' || raw === 'true') return { value: true };
      if (raw === '0' || raw === 'false') return { value: false };
      return { expected: '1 or 0' };
    case 'text':
      return { value: fieldText(raw, spec.maxLength) };
  }
}

const inUrl = (spec: ParamSpec): boolean => !('url' in spec && spec.url === false);

/**
 * The state a link describes: declared defaults, overridden by every valid link parameter. Each
 * bad one is named in a problem message and its default kept; nothing is evaluated.
 */
export function stateFromParams<P extends ParamSpecs>(schema: WidgetSchema<P>, params: Record<string, string>): { state: State<P>; problems: string[] } {
  const state = defaults(schema);
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(schema.params)) {
    const raw = params[key];
    if (raw === undefined || !inUrl(spec)) continue;
    const read = readValue(spec, raw);
    if ('value' in read) (state as Record<string, unknown>)[key] = read.value;
    else problems.push(`Link parameter "${key}" must be ${read.expected}; using ${linkText(spec, spec.default)}.`);
  }
  return { state, problems };
}

/** A value as a link writes it (flags as 1 or 0). */
const linkText = (spec: ParamSpec, value: unknown): string => (spec.kind === 'flag' ? (value ? '1' : '0') : String(value));

/** The link form of a state: every parameter kept in links, as text. */
export function stateToParams<P extends ParamSpecs>(schema: WidgetSchema<P>, state: State<P>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, spec] of Object.entries(schema.params)) {
    if (!inUrl(spec)) continue;
    out[key] = linkText(spec, (state as Record<string, unknown>)[key]);
  }
  return out;
}
