import { defineSchema } from '../../src/lib/widget/schema';

export const LAYERS = [
  ['1', 'hidden layer 1 (784 → 100)'],
  ['2', 'hidden layer 2 (100 → 100)'],
  ['3', 'hidden layer 3 (100 → 100)'],
] as const;

export const schema = defineSchema({
  tag: 'bn-weight-decay',
  prefix: 'wd',
  params: {
    decay: { kind: 'number', label: 'weight decay λ', min: 0.005, max: 0.05, step: 0.005, default: 0.03 },
    layer: { kind: 'choice', label: 'layer shown', options: LAYERS, default: '2' },
  },
});
