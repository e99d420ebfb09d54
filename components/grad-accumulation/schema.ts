import { ACCUMULATION_RUN } from '../../src/lib/train/chapter/practice-runs';
import { defineSchema } from '../../src/lib/widget/schema';

/** Micro-batch sizes offered: those that cut the batch into two or more micro-batches. */
export const MICRO_BATCHES = ACCUMULATION_RUN.microBatches.filter((b) => b < ACCUMULATION_RUN.batchSize);

export const schema = defineSchema({
  tag: 'bn-grad-accumulation',
  prefix: 'accum',
  params: {
    b: { kind: 'choice', label: 'micro-batch size b', options: MICRO_BATCHES.map((b) => [String(b), `${b} (k = ${ACCUMULATION_RUN.batchSize / b} micro-batches)`] as const), default: '4' },
  },
});
