import { SORTED_BATCHES } from '../../src/lib/train/chapter/practice-runs';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-sorted-batches',
  prefix: 'sorted',
  params: {
    batch: { kind: 'choice', label: 'test batch size', options: SORTED_BATCHES.map((b) => [String(b), `${b} digits`] as const), default: '50' },
  },
});
