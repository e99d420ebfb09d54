/**
 * What each live chart of the lab tells the reader to look for ("Look for: …" in Lab.astro), as
 * claims the verdict code checks on every run. The captions and the defaults test
 * (tests/unit/lab/defaults.test.ts) both read them from here.
 */
import type { Claim } from './verdicts';

/** The early window the lab's defaults are chosen for: BN's lead is plain by step 100. */
export const EARLY_STEPS = 100;

export const CHART_CLAIMS = {
  /** "the normalized run's loss falling faster in the first hundred steps" */
  loss: (): Claim => ({ kind: 'loss-lower', upTo: EARLY_STEPS }),
  /** "the normalized run ahead early": 5 points on average over the evaluations up to step 100. */
  accuracy: (): Claim => ({ kind: 'ahead-early', upTo: EARLY_STEPS, margin: 5 }),
  /** "the plain run's band drifting as its weights change; the normalized one staying put" */
  percentiles: (layer: number): Claim => ({ kind: 'band-steadier', layer, ratio: 1 }),
  /** "the averages settling" */
  running: (layer: number): Claim => ({ kind: 'running-settles', layer }),
} as const;
