import { describe, expect, it } from 'vitest';
import { descend, eigenvalues, minimizer } from '../../../components/gd-valley/valley';

describe('gradient descent on a quadratic', () => {
  it('eigenvalues of a symmetric 2×2 matrix', () => {
    const [big, small] = eigenvalues([2, 1, 2]);
    expect(big).toBeCloseTo(3, 12);
    expect(small).toBeCloseTo(1, 12);
  });

  it('reaches the minimizer below 2/λmax and diverges above it', () => {
    const h = [4, 0, 1] as const; // λmax = 4: the threshold is 0.5
    const c = [4, 2] as const;
    expect(minimizer(h, c)).toEqual([1, 2]);
    const below = descend(h, c, 0.49);
    expect(below.diverged).toBe(false);
    expect(below.steps).not.toBeNull();
    const last = below.path.at(-1)!;
    expect(Math.hypot(last[0] - 1, last[1] - 2)).toBeLessThan(1e-2);
    expect(descend(h, c, 0.51).diverged).toBe(true);
  });

  it('needs steps that grow with the condition number at the best fixed rate', () => {
    // At η = 2/(λmax+λmin) the error shrinks by (κ−1)/(κ+1) per step.
    const steps = (kappa: number) => descend([kappa, 0, 1], [kappa, 1], 2 / (kappa + 1)).steps!;
    expect(steps(1)).toBe(1);
    expect(steps(10)).toBeGreaterThan(steps(3));
    expect(steps(100)).toBeGreaterThan(steps(10));
    // Against the closed form: from w = 0 both components of the error start at w* = (1, 1) and shrink
    // by ((κ−1)/(κ+1))^s, so ‖w − w*‖ ≤ 1e-3·‖w*‖ after ⌈ln 1e-3 / ln rate⌉ steps.
    const kappa = 50;
    const rate = (kappa - 1) / (kappa + 1);
    const predicted = Math.ceil(Math.log(1e-3) / Math.log(rate));
    expect(Math.abs(steps(kappa) - predicted)).toBeLessThanOrEqual(1);
  });
});
