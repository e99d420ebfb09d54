import { defineSchema } from '../../src/lib/widget/schema';

/** Rows and columns of the block: four examples, four channels. */
const INDEX = [
  ['0', '1'],
  ['1', '2'],
  ['2', '3'],
  ['3', '4'],
] as const;

export const schema = defineSchema({
  tag: 'bn-norm-axes',
  prefix: 'axes',
  params: {
    kind: {
      kind: 'choice',
      label: 'Normalization',
      options: [
        ['batch', 'BatchNorm'],
        ['layer', 'LayerNorm'],
        ['instance', 'InstanceNorm'],
        ['group', 'GroupNorm'],
      ],
      default: 'batch',
    },
    groups: {
      kind: 'choice',
      label: 'groups (GroupNorm)',
      options: [
        ['1', '1'],
        ['2', '2'],
        ['4', '4'],
      ],
      default: '2',
    },
    n: { kind: 'choice', label: 'example', options: INDEX, default: '0' },
    c: { kind: 'choice', label: 'channel', options: INDEX, default: '0' },
    // Kept out of links, as before: it changes how the maps look, not which statistic is shown.
    normalized: { kind: 'flag', label: 'show normalized maps', default: false, url: false },
  },
});
