import { parseNumber } from '../../src/lib/bn/parse';
import { checkWith } from '../../src/lib/widget/checks';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-one-example',
  prefix: 'one',
  params: {
    // One number: a link longer than any number is cut before the check judges it.
    x: { kind: 'text', label: 'the example x', default: '1.5', maxLength: 100, check: checkWith((text) => parseNumber(text, 'The example')) },
    // The other values of the six batches; "Draw new batches" advances it.
    seed: { kind: 'seed', default: 3 },
  },
});
