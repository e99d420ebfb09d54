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

/** Spells out a sum over the batch, eliding the middle of long batches. */
function sumOf(values: number[], term: (v: number, i: number) => string): string {
  if (values.length <= SHOWN + 1) return values.map(term).join(' + ');
  const head = values.slice(0, SHOWN - 1).map(term);
  return `${head.join(' + ')} + \\cdots + ${term(values[values.length - 1]!, values.length - 1)}`;
}

/** Indices of the examples whose x̂ and y are written out. */
const shownIndices = (m: number): number[] =>
  m <= SHOWN ? [...Array(m).keys()] : [0, 1, m - 1];

export interface StepFormula {
  key: 'mean' | 'variance' | 'std' | 'normalized' | 'output';
  title: string;
  tex: string;
}

/** LaTeX for each step of Algorithm 1 with the reader's numbers substituted. */
export function stepFormulas(n: StepNumbers): StepFormula[] {
  const m = n.x.length;
  const idx = shownIndices(m);
  const row = (lhs: (i: number) => string, rhs: (i: number) => string): string =>
    idx.map((i) => `${lhs(i)} &= ${rhs(i)}`).join(' \\\\ ') + (m > idx.length ? ' \\\\ &\\;\\vdots' : '');
  return [
    {
      key: 'mean',
      title: 'Mini-batch mean',
      tex: `\\begin{aligned} \\mu_\\mathcal{B} &= \\frac{1}{m}\\sum_{i=1}^{m} x_i \\\\ &= \\frac{1}{${m}}\\left(${sumOf(n.x, num)}\\right) \\\\ &= ${val(n.mean)} \\end{aligned}`,
    },
    {
      key: 'variance',
      title: 'Mini-batch variance (biased, divides by m)',
      tex: `\\begin{aligned} \\sigma_\\mathcal{B}^2 &= \\frac{1}{m}\\sum_{i=1}^{m}(x_i-\\mu_\\mathcal{B})^2 \\\\ &= \\frac{1}{${m}}\\left(${sumOf(
        n.x,
        (v) => `(${val(v)} - ${num(n.mean)})^2`,
      )}\\right) \\\\ &= ${val(n.varianceBiased)} \\end{aligned}`,
    },
    {
      key: 'std',
      title: 'Standard deviation with ε',
      tex: `\\sqrt{\\sigma_\\mathcal{B}^2 + \\epsilon} = \\sqrt{${num(n.varianceBiased)} + ${num(n.eps)}} = ${val(n.std)}`,
    },
    {
      key: 'normalized',
      title: 'Normalize',
      tex: `\\begin{aligned} ${row(
        (i) => `\\hat{x}_{${i + 1}}`,
        (i) => `\\frac{x_{${i + 1}} - \\mu_\\mathcal{B}}{\\sqrt{\\sigma_\\mathcal{B}^2+\\epsilon}} = \\frac{${num(n.x[i]!)} - ${num(n.mean)}}{${num(n.std)}} = ${val(n.normalized[i]!)}`,
      )} \\end{aligned}`,
    },
    {
      key: 'output',
      title: 'Scale and shift',
      tex: `\\begin{aligned} ${row(
        (i) => `y_{${i + 1}}`,
        (i) => `\\gamma\\hat{x}_{${i + 1}} + \\beta = ${num(n.gamma)} \\cdot ${num(n.normalized[i]!)} + ${num(n.beta)} = ${val(n.output[i]!)}`,
      )} \\end{aligned}`,
    },
  ];
}
