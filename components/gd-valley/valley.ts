/**
 * Gradient descent on a quadratic loss L(w) = ½ wᵀHw − cᵀw + k, the exact form of a linear model's
 * mean squared error (H = (2/n)XᵀX, c = (2/n)Xᵀt). Pure functions on the numbers the widget gets
 * from tfjs, so they can be unit-tested.
 */
export type Sym2 = readonly [number, number, number]; // [h11, h12, h22]
export type Vec2 = readonly [number, number];

/** Eigenvalues of a symmetric 2×2 matrix, largest first. */
export function eigenvalues([a, b, d]: Sym2): [number, number] {
  const mid = (a + d) / 2;
  const r = Math.hypot((a - d) / 2, b);
  return [mid + r, mid - r];
}

/** The minimizer H⁻¹c. */
export function minimizer([a, b, d]: Sym2, [c1, c2]: Vec2): [number, number] {
  const det = a * d - b * b;
  return [(d * c1 - b * c2) / det, (a * c2 - b * c1) / det];
}

export interface Descent {
  /** The iterates w₀ = (0, 0), w₁, … up to `keep` of them. */
  path: Array<[number, number]>;
  /** Steps until ‖w − w*‖ ≤ tol·‖w*‖; null if it did not get there within maxSteps. */
  steps: number | null;
  diverged: boolean;
}

/** w ← w − η(Hw − c) from w = 0, until within tol of the minimum, diverged, or maxSteps. */
export function descend(h: Sym2, c: Vec2, eta: number, { tol = 1e-3, maxSteps = 20000, keep = 400 } = {}): Descent {
  const [a, b, d] = h;
  const star = minimizer(h, c);
  const scale = Math.hypot(...star);
  let w: [number, number] = [0, 0];
  const path: Array<[number, number]> = [w];
  for (let step = 1; step <= maxSteps; step++) {
    const g1 = a * w[0] + b * w[1] - c[0];
    const g2 = b * w[0] + d * w[1] - c[1];
    w = [w[0] - eta * g1, w[1] - eta * g2];
    if (path.length < keep) path.push(w);
    const gap = Math.hypot(w[0] - star[0], w[1] - star[1]);
    if (gap <= tol * scale) return { path, steps: step, diverged: false };
    if (!Number.isFinite(gap) || gap > 1e6 * scale) return { path, steps: null, diverged: true };
  }
  return { path, steps: null, diverged: false };
}
