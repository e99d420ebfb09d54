/**
 * The lab's defaults show what the site is about: with the default settings, the normalized
 * network is ahead in the first 100 steps at every seed tried, judged by the same verdict code
 * and claims as the captions under the lab's charts (src/lib/lab/claims.ts). Seeded runs on the
 * WASM backend, recorded at the page's cadence.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerLabKernels } from '../../../src/lib/kernels';
import { LAB_DEFAULT_CONFIG } from '../../../src/lib/train/config';
import { CHART_CLAIMS, EARLY_STEPS } from '../../../src/lib/lab/claims';
import { judge } from '../../../src/lib/lab/verdicts';
import { loadMnistFromPackage } from '../helpers/mnist-node';
import { recordTwinCurves } from '../helpers/twin-curves';

const data = loadMnistFromPackage();

describe('the lab defaults', () => {
  beforeAll(async () => {
    registerLabKernels();
    await tf.setBackend('wasm');
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: BN ahead by step ${EARLY_STEPS} in loss and in test accuracy`, async () => {
      // The default run up to the end of the captions' window (instrumentation off: it does not change training).
      const config = { ...LAB_DEFAULT_CONFIG, seed, instrument: false };
      const curves = await recordTwinCurves(config, data, EARLY_STEPS);
      const evidence = { curves, steps: config.steps };
      const loss = judge(CHART_CLAIMS.loss(), evidence);
      const accuracy = judge(CHART_CLAIMS.accuracy(), evidence);
      expect(loss?.holds, loss?.sentence).toBe(true);
      expect(accuracy?.holds, accuracy?.sentence).toBe(true);
    }, 180_000);
  }
});
