import { CHANNEL_NAMES } from '../../src/lib/data/features';
import { defineSchema } from '../../src/lib/widget/schema';

/** Batch sizes offered, in images. */
export const RENORM_BATCHES = [1, 2, 4, 8, 32] as const;

export const schema = defineSchema({
  tag: 'bn-batch-renorm',
  prefix: 'brn',
  params: {
    b: { kind: 'choice', label: 'batch size', options: RENORM_BATCHES.map((b) => [String(b), `${b} image${b === 1 ? '' : 's'}`] as const), default: '2' },
    rMax: { kind: 'number', label: 'r_max', min: 1, max: 5, step: 0.1, default: 3 },
    dMax: { kind: 'number', label: 'd_max', min: 0, max: 5, step: 0.1, default: 5 },
    c: { kind: 'choice', label: 'channel', options: CHANNEL_NAMES.map((name, i) => [String(i), `${i + 1}: ${name}`] as const), default: '2' },
    seed: { kind: 'seed', default: 8 },
  },
});
