/** Seeded pseudo-random numbers, so a shared link or a test reproduces the same batch. */
export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for sampling illustrations and shuffles. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal by Box–Muller. */
export function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export interface PopulationShape {
  mean: number;
  spread: number;
  /** Skew-normal shape α: 0 is symmetric, positive leans right. */
  skew: number;
  /** Fraction of values replaced by outliers ten spreads away from the mean. */
  outliers: number;
}

const OUTLIER_DISTANCE = 10;

/**
 * Draws `n` activations. The skew-normal is standardized, so `mean` and `spread` are the
 * population's true mean and standard deviation before outliers are mixed in.
 */
export function sampleActivations(n: number, shape: PopulationShape, rng: Rng): Float32Array {
  const delta = shape.skew / Math.sqrt(1 + shape.skew * shape.skew);
  const skewMean = delta * Math.sqrt(2 / Math.PI);
  const skewStd = Math.sqrt(1 - skewMean * skewMean);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let value: number;
    if (rng() < shape.outliers) {
      value = shape.mean + (rng() < 0.5 ? -1 : 1) * OUTLIER_DISTANCE * shape.spread;
    } else {
      const z = delta * Math.abs(normal(rng)) + Math.sqrt(1 - delta * delta) * normal(rng);
      value = shape.mean + shape.spread * ((z - skewMean) / skewStd);
    }
    out[i] = value;
  }
  return out;
}
