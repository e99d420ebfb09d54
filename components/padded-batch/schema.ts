import { defineSchema } from '../../src/lib/widget/schema';

/** The batch: SEQUENCES sequences padded to MAX_LENGTH tokens, FEATURES embedding features each. */
export const SEQUENCES = 8;
export const MAX_LENGTH = 12;
export const FEATURES = 6;

export const schema = defineSchema({
  tag: 'bn-padded-batch',
  prefix: 'pad',
  params: {
    shortest: { kind: 'number', label: 'shortest sequence (tokens)', min: 1, max: MAX_LENGTH, step: 1, integer: true, default: 3 },
    feature: { kind: 'number', label: 'feature shown', min: 1, max: FEATURES, step: 1, integer: true, default: 1 },
    seed: { kind: 'seed', default: 3 },
  },
});
