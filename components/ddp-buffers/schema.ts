import { CHANNEL_NAMES } from '../../src/lib/data/features';
import { defineSchema } from '../../src/lib/widget/schema';

/** Device counts offered (each divides the global batch). */
export const DDP_DEVICES = [2, 4, 8, 16, 32, 64] as const;
export const DDP_BATCH = 128;
export const DDP_STEPS = 60;
/** PyTorch's default momentum: the weight of each new statistic. */
export const DDP_MOMENTUM = 0.1;

export const schema = defineSchema({
  tag: 'bn-ddp-buffers',
  prefix: 'ddp',
  params: {
    g: { kind: 'choice', label: 'devices', options: DDP_DEVICES.map((g) => [String(g), `${g} × ${DDP_BATCH / g} images`] as const), default: '32' },
    c: { kind: 'choice', label: 'channel', options: CHANNEL_NAMES.map((name, i) => [String(i), `${i + 1}: ${name}`] as const), default: '0' },
    seed: { kind: 'seed', default: 3 },
  },
});
