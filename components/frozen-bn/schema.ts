import { FINETUNE_BATCHES } from '../../src/lib/train/chapter/practice-runs';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-frozen-bn',
  prefix: 'frozen',
  params: {
    batch: { kind: 'choice', label: 'fine-tuning batch size', options: FINETUNE_BATCHES.map((b) => [String(b), `${b} digit${b === 1 ? '' : 's'}`] as const), default: '2' },
  },
});
