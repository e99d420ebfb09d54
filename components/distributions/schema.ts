import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-distributions',
  prefix: 'dist',
  params: {
    mean: { kind: 'number', label: 'population mean', min: -5, max: 5, step: 0.1, default: 2 },
    spread: { kind: 'number', label: 'population spread (std)', min: 0.1, max: 5, step: 0.1, default: 1.5 },
    skew: { kind: 'number', label: 'skew', min: -8, max: 8, step: 0.5, default: 0 },
    outliers: { kind: 'number', label: 'outlier share', min: 0, max: 0.2, step: 0.01, default: 0 },
    batch: { kind: 'number', label: 'batch size', min: 2, max: 1024, step: 1, default: 256, integer: true },
    gamma: { kind: 'number', label: 'gamma (γ)', min: -3, max: 3, step: 0.1, default: 1 },
    beta: { kind: 'number', label: 'beta (β)', min: -3, max: 3, step: 0.1, default: 0 },
    logeps: { kind: 'number', label: 'epsilon (ε), log10', min: -8, max: 0, step: 1, default: -5, integer: true, display: (v) => `1e${v}` },
    seed: { kind: 'seed', default: 1 },
  },
});
