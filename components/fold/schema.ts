import { parseEpsilon } from '../../src/lib/bn/parse';
import { checkWith } from '../../src/lib/widget/checks';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-fold',
  prefix: 'fold',
  params: {
    // In the link with the seed: together they reproduce the table.
    eps: { kind: 'text', label: 'epsilon', default: '0.00001', check: checkWith(parseEpsilon) },
    // The conv's weights and the BN layer's parameters and statistics; "New weights and statistics" advances it.
    seed: { kind: 'seed', default: 1 },
  },
});
