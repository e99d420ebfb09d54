import { CONVENTIONS } from '../../src/lib/bn/conventions';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-running-averages',
  prefix: 'ra',
  params: {
    convention: {
      kind: 'choice',
      label: 'Convention',
      options: [
        ['pytorch', 'PyTorch: (1 − m)·running + m·batch'],
        ['keras', 'Keras/tfjs: m·running + (1 − m)·batch'],
      ],
      default: 'pytorch',
    },
    momentum: { kind: 'number', label: 'momentum m', min: 0.01, max: 0.99, step: 0.01, default: CONVENTIONS.pytorch.momentum },
    batch: { kind: 'number', label: 'batch size', min: 2, max: 64, step: 1, default: 4, integer: true },
    mean: { kind: 'number', label: 'population mean', min: -3, max: 3, step: 0.1, default: 1 },
    std: { kind: 'number', label: 'population std', min: 0.2, max: 3, step: 0.1, default: 2 },
    bessel: { kind: 'flag', label: "Bessel's correction (unbiased batch variance)", default: true },
    seed: { kind: 'seed', default: 7 },
  },
});
