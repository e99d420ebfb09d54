import { defineSchema } from '../../src/lib/widget/schema';

export const ORDERINGS = [
  ['post', 'post-activation: ReLU after the sum'],
  ['pre', 'pre-activation: nothing after the sum'],
] as const;

export const schema = defineSchema({
  tag: 'bn-residual-init',
  prefix: 'res',
  params: {
    depth: { kind: 'number', label: 'residual blocks', min: 1, max: 32, step: 1, integer: true, default: 16 },
    order: { kind: 'choice', label: 'block ordering', options: ORDERINGS, default: 'pre' },
    seed: { kind: 'seed', default: 4 },
  },
});
