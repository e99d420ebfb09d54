import { defineSchema } from '../../src/lib/widget/schema';

export const ORDERINGS = [
  ['post', 'post-activation (He et al. 2016a): x + BN(conv(·)), then ReLU'],
  ['pre', 'pre-activation (He et al. 2016b): x + conv(ReLU(BN(·)))'],
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
