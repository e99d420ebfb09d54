import { formatNumber } from '../../src/lib/widget/dom';

/** The numbers one Algorithm-1 walk-through shows, whichever engine computed them. */
export interface StepNumbers {
  x: number[];
  gamma: number;
  beta: number;
  eps: number;
  mean: number;
  varianceBiased: number;
  varianceUnbiased: number;
  std: number;
  normalized: number[];
  output: number[];
}

/** How many elements a formula spells out before it elides the middle with ⋯. */
const SHOWN = 4;

/** A number as a result: -1.5 */
const val = (v: number): string => formatNumber(v).replace(/e([+-]?\d+)$/, '\\times 10^{$1}');
/** A number as an operand inside an expression: (-1.5) */
const num = (v: number): string => (v < 0 ? `(${val(v)})` : val(v));

/** Printed width of plain math text in digit widths (KaTeX digits are 0.5em; operators carry spacing). */
function flatWidth(text: string): number {
  let w = 0;
  for (const ch of text.replace(/\\qquad/g, 'aaaa').replace(/\\(cdot|times)/g, '+').replace(/\\[a-zA-Z]+/g, 'a').replace(/[{}\s&]/g, '')) {
    w += '+-='.includes(ch) ? 2.4 : '()'.includes(ch) ? 0.8 : 1;
  }
  return w;
}

/** An innermost fraction: one whose numerator and denominator hold no braces. */
const FRACTION = /\\frac\{([^{}]*)\}\{([^{}]*)\}/;

/**
 * Rough printed width of a TeX fragment in digit widths, good enough to decide where a long
 * line breaks: a fraction is as wide as its wider part, subscripts and superscripts are small.
 */
export function printedWidth(tex: string): number {
  let t = tex
    .replace(/\\mathcal\{B\}/g, 'B')
    .replace(/\\(left|right|Big|big|hat)/g, '')
    .replace(/[_^]\{([^{}]*)\}|[_^](\S)/g, (_, a: string | undefined, b: string | undefined) => '.'.repeat(Math.ceil(0.7 * flatWidth(a ?? b ?? ''))))
    .replace(/\\sqrt\{([^{}]*)\}/g, 'a$1');
  for (let frac = FRACTION.exec(t); frac; frac = FRACTION.exec(t)) {
    const wide = Math.ceil(Math.max(flatWidth(frac[1]!), flatWidth(frac[2]!)));
    t = t.slice(0, frac.index) + '0'.repeat(wide) + t.slice(frac.index + frac[0].length);
  }
  return flatWidth(t);
}

/**
 * Joins `parts` with `joiner` into the lines of an aligned block, each at most `width` digit
 * widths where it can be: the first line starts with `lead`, later ones with `continuation`.
 */
function pack(lead: string, parts: string[], joiner: string, continuation: string, width: number): string {
  const lines: string[] = [];
  let line = `${lead} ${parts[0]}`;
  for (const part of parts.slice(1)) {
    const joined = `${line} ${joiner} ${part}`;
    if (printedWidth(joined) <= width) {
      line = joined;
    } else {
      lines.push(line);
      line = `${continuation} ${part}`;
    }
  }
  lines.push(line);
  return lines.join(' \\\\ ');
}

/**
 * Spells out a sum over the batch, eliding the middle of long batches; terms wrap onto indented
 * continuation lines when they pass `width`.
 */
function sumOf(values: number[], term: (v: number, i: number) => string, m: number, width: number): string {
  const terms = values.length <= SHOWN + 1 ? values.map(term) : [...values.slice(0, SHOWN - 1).map(term), '\\cdots', term(values[values.length - 1]!, values.length - 1)];
  const single = `&= \\frac{1}{${m}}\\left(${terms.join(' + ')}\\right)`;
  if (printedWidth(single) <= width) return single;
  // \left…\right cannot span lines of an aligned block; sized delimiters can.
  return `${pack(`&= \\frac{1}{${m}}\\Big(`, terms, '+', '&\\qquad +', width)}\\Big)`;
}

/** Indices of the examples whose x̂ and y are written out. */
const shownIndices = (m: number): number[] =>
  m <= SHOWN ? [...Array(m).keys()] : [0, 1, m - 1];

export interface StepFormula {
  key: 'mean' | 'variance' | 'std' | 'normalized' | 'output';
  title: string;
  tex: string;
}

/** Digit widths a line may take when the layout is not told the space it has (build time, wide screens). */
export const WIDE = 64;

/**
 * LaTeX for each step of Algorithm 1 with the reader's numbers substituted. `width` is the line
 * length in digit widths: on a phone, sums wrap and each equation breaks at its = signs instead of
 * one line scrolling sideways.
 */
export function stepFormulas(n: StepNumbers, width: number = WIDE): StepFormula[] {
  const m = n.x.length;
  const idx = shownIndices(m);
  const aligned = (body: string): string => `\\begin{aligned} ${body} \\end{aligned}`;
  /** One equation per shown example, broken at its = signs where it does not fit. */
  const rows = (lhs: (i: number) => string, sides: (i: number) => string[]): string =>
    idx.map((i) => pack(`${lhs(i)} &=`, sides(i), '=', '&=', width)).join(' \\\\ ') + (m > idx.length ? ' \\\\ &\\;\\vdots' : '');
  return [
    {
      key: 'mean',
      title: 'Mini-batch mean',
      tex: aligned(`\\mu_\\mathcal{B} &= \\frac{1}{m}\\sum_{i=1}^{m} x_i \\\\ ${sumOf(n.x, num, m, width)} \\\\ &= ${val(n.mean)}`),
    },
    {
      key: 'variance',
      title: 'Mini-batch variance (biased, divides by m)',
      tex: aligned(`\\sigma_\\mathcal{B}^2 &= \\frac{1}{m}\\sum_{i=1}^{m}(x_i-\\mu_\\mathcal{B})^2 \\\\ ${sumOf(n.x, (v) => `(${val(v)} - ${num(n.mean)})^2`, m, width)} \\\\ &= ${val(n.varianceBiased)}`),
    },
    {
      key: 'std',
      title: 'Standard deviation with ε',
      tex: aligned(pack('\\sqrt{\\sigma_\\mathcal{B}^2 + \\epsilon} &=', [`\\sqrt{${num(n.varianceBiased)} + ${num(n.eps)}}`, val(n.std)], '=', '&=', width)),
    },
    {
      key: 'normalized',
      title: 'Normalize',
      tex: aligned(
        rows(
          (i) => `\\hat{x}_{${i + 1}}`,
          (i) => [`\\frac{x_{${i + 1}} - \\mu_\\mathcal{B}}{\\sqrt{\\sigma_\\mathcal{B}^2+\\epsilon}}`, `\\frac{${num(n.x[i]!)} - ${num(n.mean)}}{${num(n.std)}}`, val(n.normalized[i]!)],
        ),
      ),
    },
    {
      key: 'output',
      title: 'Scale and shift',
      tex: aligned(
        rows(
          (i) => `y_{${i + 1}}`,
          (i) => [`\\gamma\\hat{x}_{${i + 1}} + \\beta`, `${num(n.gamma)} \\cdot ${num(n.normalized[i]!)} + ${num(n.beta)}`, val(n.output[i]!)],
        ),
      ),
    },
  ];
}
