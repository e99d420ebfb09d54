import { cpuTf } from '../../src/lib/tf/cpu';
import { batchNormInference, batchNormTrain, parseNumber } from '../../src/lib/bn';
import { normal, seededRng } from '../../src/lib/data/random';
import { readParams, writeParams, fieldText } from '../../src/lib/state/url';
import { formatList, formatNumber, inputNamed, need, setFieldError } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';
import { renderTable } from '../../src/lib/widget/table';

const BATCHES = 6;
const COMPANIONS = 3;
const EPS = 1e-5;

export async function mount(root: HTMLElement): Promise<Cleanup> {
  const tf = await cpuTf();
  const prefix = root.dataset.prefix ?? 'one';
  const field = inputNamed(root, 'x');
  const error = need<HTMLElement>(root, '[data-widget-error]');
  const table = need<HTMLElement>(root, '[data-table]');
  const out = (k: string) => need<HTMLOutputElement>(root, `[data-out="${k}"]`);
  const params = readParams(prefix);
  if (params.x !== undefined) field.value = fieldText(params.x, 100);
  let seed = 3;

  const update = (): void => {
    let parsed: number;
    try {
      parsed = parseNumber(field.value, 'The example');
    } catch (err) {
      setFieldError(field, error, `${(err as Error).message} Keeping the last result.`);
      return;
    }
    setFieldError(field, error, null);
    const rng = seededRng(seed);
    const batches = Array.from({ length: BATCHES }, () => [parsed, ...Array.from({ length: COMPANIONS }, () => Number(normal(rng).toFixed(3)))]);
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
    out('train').textContent = formatList(trainValues);
    out('infer').textContent = formatNumber(inferValue);
    writeParams(prefix, { x: field.value });
  };
  const onInput = (): void => update();
  const onClick = (e: Event): void => {
    if (!(e.target as HTMLElement).closest('[data-action="resample"]')) return;
    seed += 1;
    update();
  };
  field.addEventListener('input', onInput);
  root.addEventListener('click', onClick);
  update();
  return () => {
    field.removeEventListener('input', onInput);
    root.removeEventListener('click', onClick);
  };
}
