/**
 * The lab's experiments, one entry each: Lab.astro renders a button and its description from
 * this list, and the page runs what `plan` returns — a sweep of short twin runs in the worker, or
 * an ordinary twin run with other settings. A new experiment is one entry here (and its test).
 */
import type { RunConfig } from '../../src/lib/train/config';
import type { SweepSpec } from '../../src/lib/train/lab/protocol';

export type ExperimentPlan = { kind: 'sweep'; spec: SweepSpec; config: RunConfig } | { kind: 'twin'; config: RunConfig };

export interface Experiment {
  id: string;
  label: string;
  /** One sentence: what it runs and what to look for. */
  describe: string;
  /** What to run, from the settings on the form. */
  plan(config: RunConfig): ExperimentPlan;
}

export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: 'lr',
    label: 'Learning-rate sweep',
    describe: 'Six 60-step twin runs with plain SGD at rates from 0.01 to 5: the plain network stops learning at a lower rate than the normalized one.',
    plan: (c) => ({ kind: 'sweep', spec: { kind: 'lr', values: [0.01, 0.1, 0.5, 1, 2, 5], steps: 60 }, config: { ...c, optimizer: 'sgd' } }),
  },
  {
    id: 'batch',
    label: 'Batch-size sweep: BN vs GN',
    describe: "Five 60-step runs of BN against GroupNorm at batches from 2 to 128: BN suffers at tiny batches, GroupNorm's statistics do not depend on the batch.",
    plan: (c) => ({ kind: 'sweep', spec: { kind: 'batch', values: [2, 4, 8, 32, 128], steps: 60 }, config: c }),
  },
  {
    id: 'noisy',
    label: 'Noisy BN vs BN',
    describe: 'A twin run whose BN adds a random per-channel scale and shift at every step (Santurkar et al.): it still trains, so stable input distributions are not what BN needs.',
    plan: (c) => ({ kind: 'twin', config: { ...c, norm: 'noisy-bn' } }),
  },
  {
    id: 'unused',
    label: 'The unused BN layer',
    describe: 'A twin run whose BN layers are built but never called: the two curves coincide, the pitfall of a layer missing from the forward pass.',
    plan: (c) => ({ kind: 'twin', config: { ...c, norm: 'unused-bn' } }),
  },
];
