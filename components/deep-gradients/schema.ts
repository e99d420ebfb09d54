import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-deep-gradients',
  prefix: 'deep',
  params: {
    act: {
      kind: 'choice',
      label: 'nonlinearity',
      options: [
        ['tanh', 'tanh'],
        ['relu', 'ReLU'],
        ['sigmoid', 'sigmoid'],
      ],
      default: 'tanh',
    },
    scale: { kind: 'number', label: 'weight scale × 1/√fan-in', min: 0.25, max: 4, step: 0.25, default: 3 },
    seed: { kind: 'seed', default: 5 },
  },
});
