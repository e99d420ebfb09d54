/**
 * The contract between the lab's two training workers when each twin trains in its own: the lead
 * (the worker the page talks to, which runs the training loop) and the helper (which trains the
 * other twin on the lead's word). They talk over a MessagePort the page hands each of them.
 */
import type { BackendName, RunConfig } from '../config';
import type { Answer, Asked } from '../core/channel';
import type { Mnist } from '../../data/mnist';
import type { ModelArtifactsJson } from '../core/weights';
import type { DigitPart } from './inspect';
import type { EvaluateOptions } from './lab-trainer';
import type { EvalResult, FailureCause, PerRun, ResumeState, RunMetrics, RunName, Variant } from './protocol';

/** Commands: nothing answers them; the helper acts on them in order. */
export type HelperCommand =
  /** One training step of the helper's twin on the next batch. */
  | { type: 'pair-step' }
  | { type: 'pair-dispose' };

export type HelperRequest =
  /** Build the helper's twin. `data`: MNIST, sent with the first init only (the helper keeps it). */
  | { type: 'pair-init'; config: RunConfig; backend: BackendName; variants: Variant[]; data?: Mnist; resume?: ResumeState }
  | { type: 'pair-metrics' }
  | { type: 'pair-evaluate'; examples?: number; options: EvaluateOptions }
  | { type: 'pair-gallery' }
  | { type: 'pair-export'; only?: RunName }
  | { type: 'pair-inspect'; pixels: Float32Array; layer: number };

export interface HelperReplies {
  'pair-init': { step: number };
  'pair-metrics': PerRun<RunMetrics>;
  'pair-evaluate': PerRun<EvalResult>;
  'pair-gallery': PerRun<number[]>;
  'pair-export': PerRun<ModelArtifactsJson>;
  'pair-inspect': DigitPart;
}

/** The helper's evaluation progress: examples done of its own twin. */
export type HelperEvent = { type: 'pair-eval-progress'; done: number };

export type ToHelper = HelperCommand | Asked<HelperRequest>;
export type FromHelper = HelperEvent | Answer<HelperReplies[keyof HelperReplies], FailureCause>;
