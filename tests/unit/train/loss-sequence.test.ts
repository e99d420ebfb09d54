import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerLabKernels } from '../../../src/lib/kernels';
import { TwinTrainer } from '../../../src/lib/train/lab/trainer';
import { DEFAULT_CONFIG, PRESET_DEFAULTS, type RunConfig } from '../../../src/lib/train/config';
import type { Variant } from '../../../src/lib/train/lab/protocol';
import { loadMnistFromPackage } from '../helpers/mnist-node';

/**
 * Fixed-seed loss sequences: the lab's twin runs (seed 1, 12 steps, real MNIST) against the
 * losses the trainer gave before its ops were replaced for speed (commit 40347e5) on the cpu
 * backend — tfjs's own conv and max-pool gradient kernels, BN through autodiff of
 * batchNormTrain. Each entry is [BN twin, plain twin] per step; the plain CNN is the same network
 * in every CNN case. To regenerate: train TwinTrainer with these configs at that commit on
 * tf.setBackend('cpu') and read each step's losses with readMetrics().
 */
const PLAIN_CNN = [2.48842359, 3.13322735, 2.48261142, 2.32031846, 2.28645849, 2.17708158, 2.24719381, 2.19884062, 2.19959283, 2.17304635, 2.10704756, 2.08589101];
const REFERENCE: Record<string, { config: Partial<RunConfig>; norm: number[]; plain: number[] }> = {
  'CNN, BN before ReLU (the default)': { config: {}, norm: [2.7792058, 3.47106934, 3.85414839, 2.83614564, 2.40072727, 2.05108547, 2.36347151, 1.88494837, 1.50802779, 1.70949662, 1.25506163, 0.946505547], plain: PLAIN_CNN },
  'CNN, BN after ReLU': { config: { placement: 'after' }, norm: [3.22685885, 3.29123211, 3.31344724, 2.65231419, 1.95944571, 1.81985712, 2.24096107, 1.61773336, 0.787772775, 1.0287317, 0.612998605, 0.927221298], plain: PLAIN_CNN },
  'CNN, noisy BN': { config: { norm: 'noisy-bn' }, norm: [5.16734648, 8.95866585, 9.09809399, 11.4920473, 12.0504255, 8.88155365, 8.12604618, 5.32387686, 4.87810421, 2.05815291, 3.95830584, 5.89196825], plain: PLAIN_CNN },
  'CNN, GroupNorm': { config: { norm: 'gn' }, norm: [2.54973531, 3.41585088, 3.00719929, 2.82027793, 2.81696677, 2.47913146, 2.64127994, 2.18134141, 1.95224118, 2.09824514, 2.05104637, 2.07267904], plain: PLAIN_CNN },
  "MLP, the paper's Figure 1": {
    config: { preset: 'mlp', ...PRESET_DEFAULTS.mlp },
    norm: [2.46331525, 2.26692796, 1.9900192, 1.90061808, 1.64998519, 1.56611764, 1.5060389, 1.60864425, 1.4119885, 1.5603416, 1.65061152, 1.37779605],
    plain: [2.4339304, 2.53737855, 2.42016244, 2.46551633, 2.37789464, 2.37310481, 2.3944962, 2.46121573, 2.41901612, 2.5091157, 2.73405027, 2.55448031],
  },
};

/**
 * Relative tolerance per step. Float32 rounding alone (sums in another order, BN's closed form
 * against autodiff, XNNPACK against the cpu kernels) kept the WASM runs within 6e-6 of these
 * numbers over 20 steps (1e-6 but for GroupNorm), so 2e-5. Noisy BN is the exception: its loss
 * swings (5 → 12 → 2 here) and its runs part at step 5 (3e-4, then up to 3e-3 by step 12), a
 * jump, not a drift: max pooling routes each window's gradient to its largest value, and where
 * two are within a rounding of each other, a one-ulp difference sends it elsewhere. It is held to
 * 2e-5 for 4 steps and 1e-2 after. BN after ReLU on WASM is the other: its BN feeds max
 * pooling directly, and the WASM run parts from the cpu one at step 4 (1.6e-5, then 8e-5 at
 * step 5 and 4e-3 by step 12) with BN's WASM kernels, which give the very bits of the BN ops on
 * cpu (tests/unit/bn/fused.test.ts) — so the ulps that start it come from XNNPACK's convolutions —
 * and alike with BN as tfjs ops on WASM (2e-5 at step 4, 7e-3 by step 12); the GEMM form before
 * them happened to stay within 1e-6. It is held to 2e-5 for 4 steps and 1e-2 after. For scale, the
 * gradient bug this work fixed (WASM's stock max-pool gradient drops the gradient of windows whose
 * values are all ≤ 0) put BN after ReLU 6e-3 off at step 2 and 4e-2 at step 3.
 */
const TOLERANCE = 2e-5;
const JUMPS = new Set(['CNN, noisy BN', 'CNN, BN after ReLU']);
const tolerance = (name: string, step: number): number => (JUMPS.has(name) && step >= 4 ? 1e-2 : TOLERANCE);

const data = loadMnistFromPackage();

async function losses(config: Partial<RunConfig>, steps: number, variants?: Variant[]): Promise<{ norm: number[]; plain: number[] }> {
  const trainer = new TwinTrainer({ ...DEFAULT_CONFIG, instrument: false, steps, ...config }, data, variants);
  const out = { norm: [] as number[], plain: [] as number[] };
  try {
    while (!trainer.done) {
      trainer.trainStep();
      const m = await trainer.readMetrics();
      out.norm.push(m.norm!.loss);
      if (m.plain) out.plain.push(m.plain.loss);
    }
  } finally {
    trainer.dispose();
  }
  return out;
}

function expectSequence(name: string, got: { norm: number[]; plain: number[] }, want: { norm: number[]; plain: number[] }): void {
  for (const twin of ['norm', 'plain'] as const) {
    if (!got[twin].length && twin === 'plain') continue;
    expect(got[twin]).toHaveLength(Math.min(got.norm.length, want[twin].length));
    got[twin].forEach((loss, i) => {
      const ref = want[twin][i]!;
      expect(Math.abs(loss - ref) / ref, `${name}, ${twin} twin, step ${i + 1}: ${loss} against ${ref}`).toBeLessThanOrEqual(tolerance(name, i));
    });
  }
}

/**
 * The BN twin's running variances after the default run's 12 steps (PyTorch convention), from the
 * same cpu run. Running means are not compared: they follow the conv bias, which BN makes
 * redundant — its gradient is zero but for rounding, and Adam scales that noise up to steps of
 * nearly the learning rate, so the bias and the running means drift with rounding. Before this
 * work, cpu and WASM already differed there by 3e-2 (and, with the pooling bug, by 1e-2 in the
 * variances).
 */
const RUNNING_VARIANCE = [
  [0.3945029, 0.4194829, 0.4943585, 0.3137839, 0.4768057, 0.3523482, 0.3849962, 0.4281794],
  [1.752788, 1.837677, 5.46046, 1.497495, 2.216487, 3.11132, 0.9306574, 1.771347, 1.025404, 2.312709, 0.9014307, 1.293285, 1.847538, 0.8765748, 1.447083, 1.506078],
  [1.872096, 1.845566, 1.874771, 5.356638, 1.64996, 2.493474, 2.296622, 2.607076, 2.267525, 2.866525, 2.969567, 1.551473, 1.869881, 1.229456, 1.640189, 4.118901, 1.956556, 1.317098, 2.603609, 1.338965, 2.520252, 2.704253, 1.874626, 1.931681, 2.998509, 1.386835, 2.16895, 2.283558, 1.421754, 2.15242, 2.49466, 2.153798],
];

describe('fixed-seed loss sequences match the trainer before the speed work', () => {
  beforeAll(() => registerLabKernels());

  for (const [name, ref] of Object.entries(REFERENCE)) {
    it(`on WASM: ${name}`, async () => {
      await tf.setBackend('wasm');
      expectSequence(name, await losses(ref.config, ref.norm.length), ref);
    }, 120_000);
  }

  it('on WASM: the running variances after the default run', async () => {
    await tf.setBackend('wasm');
    const trainer = new TwinTrainer({ ...DEFAULT_CONFIG, instrument: false, steps: 12 }, data, [{ name: 'norm', norm: 'bn' }]);
    try {
      while (!trainer.done) trainer.trainStep();
      trainer.runs[0]!.model.layers.forEach((layer, i) => {
        const got = layer.norm!.running.variance.dataSync();
        RUNNING_VARIANCE[i]!.forEach((want, c) => expect(Math.abs(got[c]! - want) / want, `layer ${i}, channel ${c}`).toBeLessThanOrEqual(TOLERANCE));
      });
    } finally {
      trainer.dispose();
    }
  }, 120_000);

  // The cpu backend is slow (a second per step on two cores): the BN network alone, 4 steps.
  it('on cpu (native kernels, BN with broadcasting ops): CNN, BN before ReLU', async () => {
    await tf.setBackend('cpu');
    const name = 'CNN, BN before ReLU (the default)';
    expectSequence(name, await losses({}, 4, [{ name: 'norm', norm: 'bn' }]), REFERENCE[name]!);
  }, 120_000);
});
