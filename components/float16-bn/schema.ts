import { CHANNEL_NAMES } from '../../src/lib/data/features';
import { defineSchema } from '../../src/lib/widget/schema';

/** Powers of ten the activations are scaled by: from where float16 underflows to where it overflows. */
export const SCALES = ['-4', '-3', '-2', '-1', '0', '1', '2'] as const;
/** Images in the batch whose activations are normalized. */
export const FLOAT16_BATCH = 8;

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '1': '¹', '2': '²', '3': '³', '4': '⁴' };
const label = (e: string): string => (e === '0' ? '1 (as they are)' : e === '1' ? '10' : `10${[...e].map((ch) => SUPERSCRIPT[ch] ?? ch).join('')}`);

export const schema = defineSchema({
  tag: 'bn-float16-bn',
  prefix: 'fp16',
  params: {
    scale: { kind: 'choice', label: 'activation scale', options: SCALES.map((e) => [e, label(e)] as const), default: '-4' },
    c: { kind: 'choice', label: 'channel', options: CHANNEL_NAMES.map((name, i) => [String(i), `${i + 1}: ${name}`] as const), default: '0' },
  },
});
