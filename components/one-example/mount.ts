import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormInference, batchNormTrain, parseNumber } from '../../src/lib/bn';
import { normal, seededRng } from '../../src/lib/data/random';
import { formatList, formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { renderTable } from '../../src/lib/widget/table';
import { schema } from './schema';
import { drawDots } from './dots';

const BATCHES = 6;
const COMPANIONS = 3;
const EPS = 1e-5;

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const table = ctx.el('[data-table]');
    const dots = ctx.el('[data-plot="dots"]');
    return {
      resizes: dots,
      draw(state) {
        // The schema's check has accepted the text, so it parses.
        const example = parseNumber(state.x, 'The example');
        const rng = seededRng(state.seed);
        const batches = Array.from({ length: BATCHES }, () => [example, ...Array.from({ length: COMPANIONS }, () => Number(normal(rng).toFixed(3)))]);
        const [train, infer] = tf.tidy(() => {
          const x = tf.tensor2d(batches.flat(), [BATCHES * (COMPANIONS + 1), 1]);
          const p = { gamma: tf.ones([1]), beta: tf.zeros([1]), eps: EPS };
          // Each batch normalized by its own statistics: the example is the first row of each.
          const perBatch = batches.map((b) => tf.slice(batchNormTrain(tf.tensor2d(b, [b.length, 1]), p).y, [0, 0], [1, 1]));
          const inference = batchNormInference(x, { ...p, runningMean: tf.zeros([1]), runningVar: tf.ones([1]) });
          return [tf.concat(perBatch), tf.slice(inference, [0, 0], [1, 1])];
        });
        const trainValues = Array.from(train.dataSync());
        const inferValue = infer.dataSync()[0]!;
        tf.dispose([train, infer]);
        renderTable(
          table,
          'The same x in six batches',
          ['batch', 'other values', 'training mode', 'inference mode'],
          batches.map((b, i) => ({ head: String(i + 1), cells: [formatList(b.slice(1), 4), formatNumber(trainValues[i]!), formatNumber(inferValue)] })),
        );
        drawDots(dots, trainValues, inferValue, Math.max(280, Math.min(dots.clientWidth || 640, 720)));
        dots.setAttribute('aria-label', `Output for x = ${formatNumber(example)}: training mode ${formatList(trainValues, 4)} in the six batches; inference mode ${formatNumber(inferValue, 4)} in every batch.`);
        ctx.out('train').textContent = formatList(trainValues);
        ctx.out('infer').textContent = formatNumber(inferValue);
      },
    };
  });
