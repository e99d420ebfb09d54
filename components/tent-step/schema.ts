import { SHIFTS } from '../../src/lib/data/shifts';
import { defineSchema } from '../../src/lib/widget/schema';

export const schema = defineSchema({
  tag: 'bn-tent-step',
  prefix: 'tent',
  params: {
    shift: { kind: 'choice', label: 'shift', options: SHIFTS, default: 'noise' },
    strength: { kind: 'number', label: 'strength', min: 0, max: 1, step: 0.05, default: 0.5 },
  },
});
