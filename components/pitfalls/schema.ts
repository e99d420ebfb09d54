import { defineSchema } from '../../src/lib/widget/schema';

/**
 * One schema for the five demonstrations on the pitfalls page. The count of runs seeds each run's
 * random numbers. It stays out of links: the page holds five of these, and a demonstration shows
 * nothing until the reader runs it.
 */
export const schema = defineSchema({
  tag: 'bn-pitfalls',
  prefix: 'pit',
  params: {
    runs: { kind: 'number', label: 'runs', min: 0, max: 2 ** 31 - 1, step: 1, default: 0, integer: true, url: false },
  },
});
