import { CHANNEL_NAMES } from '../../src/lib/data/features';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-dropout-shift',
  prefix: 'drop',
  params: {
    p: { kind: 'number', label: 'dropout rate p', min: 0, max: 0.9, step: 0.05, default: 0.5 },
    c: { kind: 'choice', label: 'unit (channel, after ReLU)', options: CHANNEL_NAMES.map((name, i) => [String(i), `${i + 1}: ${name}`] as const), default: '2' },
    seed: { kind: 'seed', default: 9 },
  },
});
