import { CHANNEL_NAMES } from '../../src/lib/data/features';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-batch-noise',
  prefix: 'noise',
  params: {
    c: { kind: 'choice', label: 'channel', options: CHANNEL_NAMES.map((name, i) => [String(i), `${i + 1}: ${name}`] as const), default: '0' },
    seed: { kind: 'seed', default: 11 },
  },
});
