import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-sigmoid-drift',
  prefix: 'sig',
  params: {
    mean: { kind: 'number', label: 'mean of the inputs z', min: -8, max: 8, step: 0.25, default: 0 },
    spread: { kind: 'number', label: 'standard deviation of z', min: 0.25, max: 6, step: 0.25, default: 1 },
    bn: { kind: 'flag', label: 'normalize the batch first (BN with γ = 1, β = 0)', default: false },
  },
});
