import { parseBatch, parseNumber } from '../../src/lib/bn/parse';
import { checkWith } from '../../src/lib/widget/checks';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-grad-check',
  prefix: 'gc',
  params: {
    values: { kind: 'text', label: 'Mini-batch values', default: '1, 2, 4, 7, 11', check: checkWith(parseBatch) },
    // One dy per value is a cross-field rule: the draw checks it.
    dy: { kind: 'text', label: 'Upstream gradient dy (one per value)', default: '1, -2, 0.5, 3, -1', check: checkWith(parseBatch) },
    gamma: { kind: 'text', label: 'gamma', default: '1.5', check: checkWith((text) => parseNumber(text, 'gamma')) },
  },
});
