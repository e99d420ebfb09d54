/**
 * The one-line verdict on a "Train with my BN" run, computed from the two runs' records: whether
 * the reader's layer trains like the site's BN, and if not, where the runs part and why (their
 * layer's output differs from BN's, or its output matches and so the gradient must differ, or
 * the loss went NaN, or the run was stopped). Pure: the page and the tests call it.
 */
import type { EvalRecord, Place, StepRecord } from './protocol';

/** Largest relative loss difference for two steps to count as the same. */
export const LOSS_TOLERANCE = 0.003;
/**
 * Steps over which the losses must stay within LOSS_TOLERANCE. Two correct layers part later
 * anyway: float32 rounding differs between the reader's ops under autodiff and the built-in
 * closed-form gradient, and Adam amplifies it (the registry's solution parts from the built-in
 * BN after 16 of the lab's seeded steps, and is 2–8% apart from step 40 on, with the same test
 * accuracy: tests/unit/cells/train.test.ts). A real mistake parts at once.
 */
export const AGREE_STEPS = 10;
/** Largest difference in final test accuracy for runs that agree over AGREE_STEPS. */
export const ACCURACY_TOLERANCE = 0.03;
/** Largest |y − BN(x)| for their layer's output to count as BN's (float32 rounding is about 1e-6). */
export const OUTPUT_TOLERANCE = 1e-3;

export type VerdictKind = 'agree' | 'output-differs' | 'gradient-differs' | 'not-finite' | 'stopped' | 'error';

export interface Verdict {
  kind: VerdictKind;
  text: string;
}

export interface RunOutcome {
  steps: StepRecord[];
  evals: EvalRecord[];
  notes: string[];
  /** The run ended early: stopped by the per-step limit, or an exception in the reader's code. */
  ended?: { kind: 'stopped' | 'error'; place?: Place; message: string };
}

const pct = (v: number): string => `${(v * 100).toFixed(v < 0.01 ? 2 : 1)}%`;
const num = (v: number): string => (Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toFixed(3).replace(/\.?0+$/, '') : v.toExponential(1));
const where = (p: Place | undefined): string => (p ? `at step ${p.step}, in layer ${p.layer}${p.pass === 'backward' ? '’s backward pass' : ''}` : 'before the first step');

export const relativeGap = (s: StepRecord): number => Math.abs(s.loss.mine - s.loss.site) / Math.max(Math.abs(s.loss.site), 1e-12);

function accuracyTail(evals: EvalRecord[]): string {
  const last = evals[evals.length - 1];
  return last ? ` Test accuracy at step ${last.step}: yours ${pct(last.accuracy.mine)}, built-in ${pct(last.accuracy.site)}.` : '';
}

/** The first layer whose output is not BN's by `step`, with the step it first differed at. */
function firstOutputDifference(steps: StepRecord[], upTo: number): { step: number; layer: number; diff: number; variance: number } | undefined {
  for (const s of steps) {
    if (s.step > upTo) break;
    const i = s.layers.findIndex((l) => !(l.maxDiff <= OUTPUT_TOLERANCE));
    if (i >= 0) return { step: s.step, layer: i + 1, diff: s.layers[i]!.maxDiff, variance: s.layers[i]!.outputVariance };
  }
  return undefined;
}

// Step records count from 0; the page and its charts count steps from 1.
export function verdict(run: RunOutcome): Verdict {
  const notes = run.notes.length ? ` ${run.notes.join(' ')}` : '';
  if (run.ended?.kind === 'stopped') return { kind: 'stopped', text: `Stopped ${where(run.ended.place)}: your batchNorm ran past the ${run.ended.message} limit for one step, so its worker was terminated.` };
  if (run.ended?.kind === 'error') return { kind: 'error', text: `Your code failed ${where(run.ended.place)}: ${run.ended.message}` };
  const steps = run.steps;
  if (!steps.length) return { kind: 'error', text: 'No step was trained.' };
  const nan = steps.find((s) => !Number.isFinite(s.loss.mine));
  if (nan) {
    const layer = nan.layers.findIndex((l) => !Number.isFinite(l.outputVariance));
    const cause = layer >= 0 ? `layer ${layer + 1}’s output is not finite` : 'the gradient through your layer is not finite';
    return { kind: 'not-finite', text: `Your run’s loss is ${nan.loss.mine} at step ${nan.step + 1}: ${cause}, so training stopped.${notes}` };
  }
  const parted = steps.find((s) => relativeGap(s) > LOSS_TOLERANCE);
  const last = run.evals[run.evals.length - 1];
  const accuracyGap = last ? Math.abs(last.accuracy.mine - last.accuracy.site) : 0;
  const out = firstOutputDifference(steps, parted?.step ?? Infinity);
  if ((!parted || parted.step >= AGREE_STEPS) && accuracyGap <= ACCURACY_TOLERANCE) {
    const early = steps.filter((s) => s.step < AGREE_STEPS);
    const largest = early.reduce((a, s) => (relativeGap(s) > relativeGap(a) ? s : a), early[0]!);
    const later = parted
      ? ` From step ${parted.step + 1} the losses drift apart (float32 rounding in your ops and the built-in closed-form gradient differ, and training amplifies it; two correct layers do the same), ending ${pct(relativeGap(steps[steps.length - 1]!))} apart.`
      : steps.length > AGREE_STEPS
        ? ` They stay within it to step ${steps[steps.length - 1]!.step + 1}.`
        : '';
    const small = out ? ` Your layer’s output differs from BN’s by up to ${num(out.diff)} (layer ${out.layer}), too little to change training here.` : '';
    return {
      kind: 'agree',
      text: `Your BN trains like the built-in one: loss within ${pct(LOSS_TOLERANCE)} at each of the first ${Math.min(AGREE_STEPS, steps.length)} steps (largest gap ${pct(relativeGap(largest))}).${later}${accuracyTail(run.evals)}${small}${notes}`,
    };
  }
  const lead = parted
    ? `The runs part at step ${parted.step + 1} (loss ${num(parted.loss.mine)} against ${num(parted.loss.site)})`
    : `The losses stay close, but test accuracy ends ${pct(accuracyGap)} apart`;
  if (out) {
    return {
      kind: 'output-differs',
      text: `${lead}: from step ${out.step + 1} your layer’s output differs from BN’s at layer ${out.layer} by up to ${num(out.diff)} (its output’s variance there: ${num(out.variance)}).${accuracyTail(run.evals)}${notes}`,
    };
  }
  return {
    kind: 'gradient-differs',
    text: `${lead}, though your layer’s output matches BN’s at every layer: the gradient through it differs (are the statistics cut off from the graph?).${accuracyTail(run.evals)}${notes}`,
  };
}
