import { defineSchema } from '../../src/lib/widget/schema';

/** The learning rate's slider is log10 η; shown as η itself. */
export const showRate = (log10: number): string => String(Number((10 ** log10).toPrecision(2)));

export const schema = defineSchema({
  tag: 'bn-gd-valley',
  prefix: 'gd',
  params: {
    features: {
      kind: 'choice',
      label: 'features',
      options: [
        ['raw', 'raw'],
        ['centred', 'centred'],
        ['standardized', 'standardized'],
      ],
      default: 'raw',
    },
    logeta: { kind: 'number', label: 'learning rate η', min: -3, max: 0.3, step: 0.05, default: -1.3, display: showRate },
  },
});
