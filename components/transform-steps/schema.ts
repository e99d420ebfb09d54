import { MAX_BATCH, parseBatch, parseEpsilon, parseNumber } from '../../src/lib/bn/parse';
import { checkWith } from '../../src/lib/widget/checks';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-transform-steps',
  prefix: 't',
  params: {
    values: { kind: 'text', label: 'Mini-batch values', default: '1, 2, 3, 4', check: checkWith(parseBatch) },
    gamma: { kind: 'text', label: 'gamma', default: '1', check: checkWith((text) => parseNumber(text, 'gamma')) },
    beta: { kind: 'text', label: 'beta', default: '0', check: checkWith((text) => parseNumber(text, 'beta')) },
    eps: { kind: 'text', label: 'epsilon', default: '0.00001', check: checkWith(parseEpsilon) },
    // The random batch's recipe stays off the link: the batch it fills in is in the link already.
    // ±1e6 with three decimals stays within float64's exact digits, so the mathjs trace stays exact.
    rsize: { kind: 'number', label: 'size', min: 2, max: MAX_BATCH, step: 1, default: 8, integer: true, url: false },
    rmean: { kind: 'number', label: 'mean', min: -1e6, max: 1e6, step: 'any', default: 5, url: false },
    rspread: { kind: 'number', label: 'spread', min: 0, max: 1e6, step: 'any', default: 2, url: false },
    // Drives "Random batch": the next click's batch is reproducible from a link.
    seed: { kind: 'seed', default: 1 },
  },
});

/** The four step fields as numbers. Only call it on text their checks have accepted. */
export const stepInputs = (fields: { values: string; gamma: string; beta: string; eps: string }) => ({
  x: parseBatch(fields.values),
  gamma: parseNumber(fields.gamma, 'gamma'),
  beta: parseNumber(fields.beta, 'beta'),
  eps: parseEpsilon(fields.eps),
});
