/**
 * What a lab run showed, checked against what the page says it shows. A claim is data ("the
 * normalized run ahead early: 5 points over the evaluations up to step 100"); `judge` reads a
 * run's curves, sweep or digit reading and says whether this run bears the claim out, in a
 * sentence with its figures. The captions under the live charts, the guided experiments and the
 * defaults test (tests/unit/lab/defaults.test.ts) all use this one module. Pure: no DOM, no tfjs.
 */
import type { DigitPredictions, EvalResult, PerRun, RunMetrics, SweepPoint } from '../train/lab/protocol';

/** A run's curves as the page receives them: metrics after steps, evaluations every 20 steps. */
export interface RunCurves {
  metrics: Array<{ step: number; runs: PerRun<RunMetrics> }>;
  evals: Array<{ step: number; runs: PerRun<EvalResult> }>;
}

export type Claim =
  /** The normalized twin's mean training loss over steps 1..upTo below the plain twin's. */
  | { kind: 'loss-lower'; upTo: number }
  /** The normalized twin's mean test accuracy over the evaluations up to `upTo` at least `margin` points above the plain twin's. */
  | { kind: 'ahead-early'; upTo: number; margin: number }
  /**
   * The plain twin's input to the nonlinearity (layer `layer`, 0-based) moves more than the
   * normalized twin's: its median and its 15–85 band width together shift at least `ratio` times as
   * far from the first reading to the last.
   */
  | { kind: 'band-steadier'; layer: number; ratio: number }
  /** The running mean and variance change less over the last fifth of the readings than over the first fifth. */
  | { kind: 'running-settles'; layer: number }
  /** A learning-rate sweep: the plain network fails at a lower rate than the normalized one. */
  | { kind: 'plain-fails-first' }
  /** A BN-vs-GroupNorm batch sweep: BN's test accuracy at batch `small` at least `drop` points below its accuracy at batch `large`. */
  | { kind: 'small-batch-drop'; small: number; large: number; drop: number }
  /** One digit in training mode on its own: the normalized network's answer differs from inference mode's, which is right. */
  | { kind: 'alone-differs' };

/** Everything a claim may be judged on; each claim reads its part. */
export interface Evidence {
  curves?: RunCurves;
  /** The run's length in steps: a run shorter than a claim's window is judged on what it has once finished. */
  steps?: number;
  sweep?: SweepPoint[];
  /** One gallery digit read four ways, and its true label. */
  digit?: { predictions: DigitPredictions; label: number };
  /** The normalized twin's short name in sentences ("BN", "noisy BN", "GN"). */
  normName?: string;
}

export interface Verdict {
  holds: boolean;
  /** "This run: …" when it holds, "Not in this run: …" when it does not. */
  sentence: string;
  /** The numbers the sentence quotes, for tests and exports. */
  figures: Record<string, number>;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
/**
 * The mean over steps of a quantity read at some steps only (the loss: every step up to 10, then
 * every 10th): each reading stands for the steps since the one before, so steps 1–10 do not
 * outweigh steps 11–100.
 */
function stepMean(reads: Array<[step: number, value: number]>): number {
  let total = 0;
  let previous = 0;
  for (const [step, value] of reads) {
    total += (step - previous) * value;
    previous = step;
  }
  return total / previous;
}
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const points = (x: number): string => (100 * x).toFixed(1);
const num = (x: number): string => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(2));

/** The step a windowed claim can be judged at: its window's end, or the run's end if shorter. */
const windowEnd = (upTo: number, e: Evidence): number => Math.min(upTo, e.steps ?? upTo);

/**
 * This run's verdict on `claim`, or null while the run has not yet produced what the claim is
 * about (too few steps, no sweep yet). A twin claim needs both twins' data.
 */
export function judge(claim: Claim, e: Evidence): Verdict | null {
  const norm = e.normName ?? 'BN';
  switch (claim.kind) {
    case 'loss-lower': {
      const end = windowEnd(claim.upTo, e);
      const reads = (e.curves?.metrics ?? []).filter((m) => m.step <= end && Number.isFinite(m.runs.norm?.loss) && m.runs.plain);
      if (!reads.length || reads.at(-1)!.step < end) return null;
      const a = stepMean(reads.map((m) => [m.step, m.runs.norm!.loss]));
      // A plain run that diverged (a non-finite loss) has lost, whatever its earlier losses.
      const plainLosses = reads.map((m): [number, number] => [m.step, m.runs.plain!.loss]);
      const b = plainLosses.every(([, l]) => Number.isFinite(l)) ? stepMean(plainLosses) : Number.POSITIVE_INFINITY;
      const figures = { norm: a, plain: b, upTo: end };
      const plainText = Number.isFinite(b) ? num(b) : 'a diverged plain run';
      if (a < b) return { holds: true, figures, sentence: `This run: the ${norm} network's training loss was lower over steps 1–${end}, ${num(a)} against ${plainText} on average.` };
      const why = a === b ? `both networks' training losses averaged ${num(a)} over steps 1–${end}` : `the plain network's training loss was lower over steps 1–${end}, ${num(b)} against ${num(a)} for ${norm} on average`;
      return { holds: false, figures, sentence: `Not in this run: ${why}; try another seed or a higher learning rate.` };
    }
    case 'ahead-early': {
      const end = windowEnd(claim.upTo, e);
      const evals = (e.curves?.evals ?? []).filter((v) => v.step <= end && v.runs.norm && v.runs.plain);
      // Evaluations come every 20 steps and at the end: the window's last one is due at its last multiple of 20.
      const due = end >= 20 ? 20 * Math.floor(end / 20) : end;
      if (!evals.length || evals.at(-1)!.step < due) return null;
      const a = mean(evals.map((v) => v.runs.norm!.inferAccuracy));
      const b = mean(evals.map((v) => v.runs.plain!.inferAccuracy));
      const lead = 100 * (a - b);
      const figures = { norm: a, plain: b, lead, upTo: end };
      if (lead >= claim.margin) {
        return { holds: true, figures, sentence: `This run: the ${norm} network was ahead over the evaluations up to step ${end}, ${pct(a)} against ${pct(b)} on average (${points(a - b)} points).` };
      }
      const behind = evals.find((v) => v.runs.plain!.inferAccuracy > v.runs.norm!.inferAccuracy);
      const level = evals.find((v) => v.runs.plain!.inferAccuracy === v.runs.norm!.inferAccuracy);
      const why = behind
        ? `the plain network was ahead at step ${behind.step} (${pct(behind.runs.plain!.inferAccuracy)} against ${pct(behind.runs.norm!.inferAccuracy)})`
        : level
          ? `the two networks were level at step ${level.step} (${pct(level.runs.norm!.inferAccuracy)})`
          : `the ${norm} network led by only ${points(a - b)} points on average up to step ${end} (${pct(a)} against ${pct(b)}), less than ${claim.margin}`;
      return { holds: false, figures, sentence: `Not in this run: ${why}; try another seed or a higher learning rate.` };
    }
    case 'band-steadier': {
      const reads = (e.curves?.metrics ?? []).filter((m) => m.runs.norm?.percentiles?.[claim.layer] && m.runs.plain?.percentiles?.[claim.layer]);
      // Ten readings at least: the first step's band against one from later in the run.
      if (reads.length < 10) return null;
      const first = reads[0]!.runs;
      const last = reads.at(-1)!.runs;
      const shift = (run: 'norm' | 'plain'): number => {
        const p = first[run]!.percentiles![claim.layer]!;
        const q = last[run]!.percentiles![claim.layer]!;
        return Math.abs(q.p50 - p.p50) + Math.abs(q.p85 - q.p15 - (p.p85 - p.p15));
      };
      const a = shift('norm');
      const b = shift('plain');
      const figures = { norm: a, plain: b, layer: claim.layer + 1, step: reads.at(-1)!.step };
      const step = reads.at(-1)!.step;
      return b >= claim.ratio * a
        ? { holds: true, figures, sentence: `This run: by step ${step} the plain network's band in layer ${claim.layer + 1} had moved ${num(b)} (median and width together), the ${norm} network's ${num(a)}.` }
        : { holds: false, figures, sentence: `Not in this run: by step ${step} the plain network's band in layer ${claim.layer + 1} had moved ${num(b)}, the ${norm} network's ${num(a)}, not ${claim.ratio === 1 ? 'less' : `${claim.ratio} times less`}; its scale γ and shift β move the band too.` };
    }
    case 'running-settles': {
      const reads = (e.curves?.metrics ?? []).flatMap((m) => (m.runs.norm?.running?.[claim.layer] ? [m.runs.norm.running[claim.layer]!] : []));
      if (reads.length < 10) return null;
      const fifth = Math.max(2, Math.floor(reads.length / 5));
      const change = (part: typeof reads): number => {
        const mid = (k: 'mean' | 'variance') => Math.abs(part.at(-1)![k] - part[0]![k]);
        return mid('mean') + mid('variance');
      };
      const early = change(reads.slice(0, fifth));
      const late = change(reads.slice(-fifth));
      const figures = { early, late };
      return late < early
        ? { holds: true, figures, sentence: `This run: the running averages changed by ${num(late)} over the last fifth of the readings, ${num(early)} over the first.` }
        : { holds: false, figures, sentence: `Not in this run: the running averages changed by ${num(late)} over the last fifth of the readings, ${num(early)} over the first; a longer run lets them settle.` };
    }
    case 'plain-fails-first': {
      const sweep = e.sweep ?? [];
      if (!sweep.length) return null;
      const lowest = (run: 'norm' | 'plain'): number => sweep.find((p) => p.runs[run]?.diverged)?.value ?? Number.POSITIVE_INFINITY;
      const a = lowest('norm');
      const b = lowest('plain');
      const rate = (x: number) => (Number.isFinite(x) ? `at rate ${x}` : 'at no rate tried');
      const figures = { norm: a, plain: b };
      return b < a
        ? { holds: true, figures, sentence: `This run: the plain network failed first, ${rate(b)}; the ${norm} network ${Number.isFinite(a) ? `failed only at rate ${a}` : 'learned at every rate tried'}.` }
        : { holds: false, figures, sentence: `Not in this run: the plain network failed ${rate(b)}, the ${norm} network ${rate(a)}; try another seed.` };
    }
    case 'small-batch-drop': {
      const at = (value: number) => e.sweep?.find((p) => p.value === value);
      const small = at(claim.small);
      const large = at(claim.large);
      if (!small?.runs.bn || !small.runs.gn || !large?.runs.bn || !large.runs.gn) return null;
      const drop = 100 * (large.runs.bn.accuracy - small.runs.bn.accuracy);
      const figures = { bnSmall: small.runs.bn.accuracy, gnSmall: small.runs.gn.accuracy, bnLarge: large.runs.bn.accuracy, gnLarge: large.runs.gn.accuracy, drop };
      const story = `BN reached ${pct(small.runs.bn.accuracy)} at batch ${claim.small} against ${pct(large.runs.bn.accuracy)} at batch ${claim.large} (GroupNorm: ${pct(small.runs.gn.accuracy)} and ${pct(large.runs.gn.accuracy)})`;
      return drop >= claim.drop
        ? { holds: true, figures, sentence: `This run: ${story}.` }
        : { holds: false, figures, sentence: `Not in this run: ${story}, less than ${claim.drop} points apart; try another seed.` };
    }
    case 'alone-differs': {
      if (!e.digit) return null;
      const { predictions: p, label } = e.digit;
      const top = (probs: number[]) => probs.reduce((best, v, i) => (v > probs[best]! ? i : best), 0);
      const inference = top(p.normInference);
      const alone = top(p.normBatchOfOne);
      const figures = { label, inference, alone, aloneConfidence: p.normBatchOfOne[label]!, inferenceConfidence: p.normInference[label]! };
      return inference === label && alone !== label
        ? { holds: true, figures, sentence: `This run: the test digit ${label} in inference mode is read as ${inference} (${pct(p.normInference[label]!)} sure); alone in training mode as ${alone}, giving ${label} only ${pct(p.normBatchOfOne[label]!)}.` }
        : { holds: false, figures, sentence: `Not in this run: the test digit ${label} is read as ${inference} in inference mode and as ${alone} alone in training mode; try another seed or more steps.` };
    }
  }
}
