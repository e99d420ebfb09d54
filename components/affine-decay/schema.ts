import { AFFINE_DECAYS } from '../../src/lib/train/chapter/practice-runs';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-affine-decay',
  prefix: 'affine',
  params: {
    decay: { kind: 'choice', label: 'weight decay λ', options: AFFINE_DECAYS.map((d) => [String(d), String(d)] as const), default: '0.03' },
  },
});
