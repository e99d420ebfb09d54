/**
 * Checking a number typed as the answer to a chapter question (<Question numeric={…}>).
 * Pure: the page script (src/lib/site/questions.ts) only reads the input and shows the verdict.
 */
export type NumericVerdict =
  | { kind: 'invalid' }
  | { kind: 'right'; value: number }
  | { kind: 'too-low'; value: number }
  | { kind: 'too-high'; value: number };

/** The tolerance when a question names none: 1% of the answer's size (1e-9 for an answer of 0). */
export const defaultTolerance = (answer: number): number => Math.max(Math.abs(answer) * 0.01, 1e-9);

/**
 * Reads what the reader typed ("0.956", "-2.5", "2.19e-4", "2,5", "−1", "95.6 %" is not a number
 * here: percentages are asked for as fractions or stated in the question) and compares it with
 * `answer`, within `tolerance` either side.
 */
export function checkNumeric(typed: string, answer: number, tolerance: number): NumericVerdict {
  const text = typed.trim().replace(/\u2212/g, '-').replace(/^(-?\d+),(\d+)$/, '$1.$2');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return { kind: 'invalid' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { kind: 'invalid' };
  if (Math.abs(value - answer) <= tolerance) return { kind: 'right', value };
  return { kind: value < answer ? 'too-low' : 'too-high', value };
}

/** The sentence a screen reader announces and the page shows for a verdict. */
export function verdictMessage(verdict: NumericVerdict): string {
  switch (verdict.kind) {
    case 'invalid':
      return 'That is not a number. Type one such as 0.5, -2 or 2e-4.';
    case 'right':
      return `Right: ${verdict.value} is the answer. Open the answer below for the reasoning.`;
    case 'too-low':
      return `Not yet: ${verdict.value} is too low. Try again, or open the answer below.`;
    case 'too-high':
      return `Not yet: ${verdict.value} is too high. Try again, or open the answer below.`;
  }
}
