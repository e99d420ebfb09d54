import { describe, expect, it } from 'vitest';
import katex from 'katex';
import { stepFormulas, WIDE, type StepNumbers } from '../../../components/transform-steps/formulas';

const numbers: StepNumbers = {
  x: [1.234567, -2.345678, 3.456789, 4.567891, 5.678912, -6.789123],
  gamma: -1.5,
  beta: 0.25,
  eps: 1e-5,
  mean: 0.9672263,
  varianceBiased: 17.04816,
  varianceUnbiased: 20.45779,
  std: 4.128940,
  normalized: [0.06474, -0.8023, 0.6030, 0.8720, 1.1411, -1.8785],
  output: [0.1529, 1.4535, -0.6545, -1.0580, -1.4617, 3.0678],
};

/** The lines of an aligned block, as KaTeX sees them. */
const lines = (tex: string): string[] => tex.replace(/\\begin\{aligned\}|\\end\{aligned\}/g, '').split('\\\\');

describe('step formulas', () => {
  it('keep each sum on one line when there is room', () => {
    const mean = stepFormulas(numbers, WIDE).find((f) => f.key === 'mean')!;
    expect(lines(mean.tex)).toHaveLength(3);
    expect(mean.tex).toContain('\\left(');
  });

  it('wrap sums and put each example\'s numbers on their own line when narrow', () => {
    const wide = stepFormulas(numbers, WIDE);
    const narrow = stepFormulas(numbers, 24);
    for (const key of ['variance', 'normalized', 'output'] as const) {
      expect(lines(narrow.find((f) => f.key === key)!.tex).length, key).toBeGreaterThan(lines(wide.find((f) => f.key === key)!.tex).length);
    }
    // Nothing is lost by wrapping: every number the wide layout shows is still there.
    for (const f of wide) {
      const shown = f.tex.match(/-?\d+\.\d+/g) ?? [];
      const other = narrow.find((g) => g.key === f.key)!.tex;
      for (const n of shown) expect(other, f.key).toContain(n);
    }
  });

  it('render with KaTeX in both layouts', () => {
    for (const width of [WIDE, 24, 16]) {
      for (const f of stepFormulas(numbers, width)) expect(() => katex.renderToString(f.tex, { displayMode: true, throwOnError: true }), `${f.key} at ${width}`).not.toThrow();
    }
  });
});
