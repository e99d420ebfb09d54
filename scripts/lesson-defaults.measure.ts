/**
 * Measures candidate lab defaults over many seeds (how the defaults in src/lib/train/config.ts
 * were chosen): for each setting and seed, a 100-step twin run on WASM in Node recorded at the
 * page's cadence, judged by the captions' own claims (src/lib/lab/claims.ts). Prints one JSON line
 * per run: both twins' mean test accuracy over the evaluations up to step 100, their mean training
 * loss over steps 1–100, and whether each claim holds. Settings are optimizer:rate:batch[:placement[:preset]].
 *
 *   SETTINGS='sgd:0.5:60 adam:0.05:32:before:cnn' SEEDS='1 2 3 4 5 6 7 8 9 10' \
 *     flock /tmp/heavy.lock npx vitest run -c scripts/measure.vitest.config.ts
 */
import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerLabKernels } from '../src/lib/kernels';
import { LAB_DEFAULT_CONFIG, type OptimizerName, type Placement, type Preset, type RunConfig } from '../src/lib/train/config';
import { CHART_CLAIMS, EARLY_STEPS } from '../src/lib/lab/claims';
import { judge } from '../src/lib/lab/verdicts';
import { loadMnistFromPackage } from '../tests/unit/helpers/mnist-node';
import { recordTwinCurves } from '../tests/unit/helpers/twin-curves';

const settings = (process.env.SETTINGS ?? 'sgd:0.5:60').split(/\s+/).filter(Boolean);
const seeds = (process.env.SEEDS ?? '1').split(/\s+/).filter(Boolean).map(Number);

it('measures candidate defaults', async () => {
  registerLabKernels();
  await tf.setBackend('wasm');
  const data = loadMnistFromPackage();
  for (const setting of settings) {
    const [optimizer, rate, batch, placement = 'before', preset = 'mlp'] = setting.split(':');
    for (const seed of seeds) {
      const config: RunConfig = { ...LAB_DEFAULT_CONFIG, preset: preset as Preset, optimizer: optimizer as OptimizerName, learningRate: Number(rate), batchSize: Number(batch), placement: placement as Placement, seed, steps: EARLY_STEPS, instrument: false };
      const curves = await recordTwinCurves(config, data);
      const loss = judge(CHART_CLAIMS.loss(), { curves, steps: EARLY_STEPS })!;
      const accuracy = judge(CHART_CLAIMS.accuracy(), { curves, steps: EARLY_STEPS })!;
      const f = (x: number | undefined, digits: number) => Number((x ?? Number.NaN).toFixed(digits));
      console.log(JSON.stringify({ setting, seed, accNorm: f(100 * accuracy.figures.norm!, 1), accPlain: f(100 * accuracy.figures.plain!, 1), lossNorm: f(loss.figures.norm, 3), lossPlain: f(loss.figures.plain, 3), accuracyHolds: accuracy.holds, lossHolds: loss.holds }));
    }
  }
}, 3_600_000);
