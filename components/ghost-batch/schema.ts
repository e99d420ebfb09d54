import { CHANNEL_NAMES } from '../../src/lib/data/features';
import { defineSchema } from '../../src/lib/widget/schema';

/** Ghost-batch counts offered: powers of two that divide the batch of 256. */
export const GHOST_COUNTS = [1, 2, 4, 8, 16, 32, 64, 128] as const;
export const GHOST_BATCH = 256;

export const schema = defineSchema({
  tag: 'bn-ghost-batch',
  prefix: 'ghost',
  params: {
    g: { kind: 'choice', label: 'devices (ghost batches)', options: GHOST_COUNTS.map((g) => [String(g), `${g} × ${GHOST_BATCH / g} images`] as const), default: '16' },
    c: { kind: 'choice', label: 'channel', options: CHANNEL_NAMES.map((name, i) => [String(i), `${i + 1}: ${name}`] as const), default: '0' },
    seed: { kind: 'seed', default: 5 },
  },
});
