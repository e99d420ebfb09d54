import { parseBatch } from '../../src/lib/bn/parse';
import { checkWith } from '../../src/lib/widget/checks';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-identity',
  prefix: 'undo',
  params: {
    values: { kind: 'text', label: 'Batch to normalize and restore', default: '3, 7, 8, 10, 12, -4.5', check: checkWith(parseBatch) },
    other: { kind: 'text', label: 'A second batch, same γ and β', default: '20, 21, 22, 23', check: checkWith(parseBatch) },
  },
});
