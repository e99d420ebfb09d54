// A long lab run watched for growth, for the browser test (500 steps) and `npm run bench` (5,000):
// the seeded twin CNN on WASM with the lab's defaults (instrumentation, digit tools and saved runs
// on), sampled at two steps. Each sample reads, from outside the site's code:
// - the tensors the lab's worker holds (tf.memory().numTensors, which the worker posts with its
//   metrics and the page shows as "tensors alive"; the two samples are at the same point of the
//   evaluation cycle, multiples of 100 steps);
// - the page's JS heap after a forced garbage collection (Chromium's DevTools protocol);
// - the element count of every chart in the lab;
// - the bytes of everything in this origin's IndexedDB (the saved run), counted value by value.
// Curves are expected to grow: the metrics every 10 steps stay in the page's curves and in the
// saved run. The report says by how much per step; the bounds in `flatnessProblems` allow that.
import type { Page } from '@playwright/test';

export interface LongRunSample {
  step: number;
  workerTensors: number;
  heapBytes: number;
  chartElements: number;
  indexedDbBytes: number;
}

export const longRunUrl = (steps: number): string => `/lab/?preset=cnn&steps=${steps}&batch=32&lr=0.01&opt=adam&seed=1&backend=wasm&autostart=1`;

/** Bytes of every value in every object store of this origin's IndexedDB (buffers by length, numbers as 8). */
function indexedDbBytes(): Promise<number> {
  const size = (v: unknown, seen: Set<unknown>): number => {
    if (v === null || v === undefined) return 0;
    if (typeof v === 'number') return 8;
    if (typeof v === 'boolean') return 1;
    if (typeof v === 'string') return v.length * 2;
    if (v instanceof ArrayBuffer) return v.byteLength;
    if (ArrayBuffer.isView(v)) return v.byteLength;
    if (typeof v !== 'object' || seen.has(v)) return 0;
    seen.add(v);
    return Object.entries(v).reduce((sum, [k, x]) => sum + k.length * 2 + size(x, seen), 0);
  };
  const ask = <T,>(req: IDBRequest<T>): Promise<T> => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  return (async () => {
    let total = 0;
    for (const info of await indexedDB.databases()) {
      const db = await ask(indexedDB.open(info.name!));
      for (const name of db.objectStoreNames) total += size(await ask(db.transaction(name).objectStore(name).getAll()), new Set());
      db.close();
    }
    return total;
  })();
}

/** Waits until the lab has passed `step`, then samples (the step read is the one reached). */
async function sampleAt(page: Page, step: number): Promise<LongRunSample> {
  const reached = await page.waitForFunction(
    (n) => {
      const at = Number(document.querySelector('[data-out="step"]')?.textContent);
      const tensors = Number(document.querySelector('[data-out="tensors"]')?.textContent);
      return at >= n && Number.isFinite(tensors) ? { step: at, tensors } : false;
    },
    step,
    { timeout: 0, polling: 10 },
  );
  const { step: at, tensors } = (await reached.jsonValue()) as { step: number; tensors: number };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  const chartElements = await page.evaluate(() => document.querySelectorAll('bn-lab .plot *, bn-lab [data-chart] *').length);
  return { step: at, workerTensors: tensors, heapBytes: usedSize, chartElements, indexedDbBytes: await page.evaluate(indexedDbBytes) };
}

/** Runs the seeded twin for `steps` steps and samples it at `first` and at the last step. */
export async function longRun(page: Page, steps: number, first: number): Promise<[LongRunSample, LongRunSample]> {
  await page.goto(longRunUrl(steps));
  const a = await sampleAt(page, first);
  const b = await sampleAt(page, steps);
  return [a, b];
}

/**
 * Curves grow: the page keeps a metrics record every 10 steps (losses, accuracies, percentile
 * bands, running statistics) with the charts' data drawn from it, the saved run stores the same
 * records, and the accuracy chart draws a dot per run at every evaluation (every 20 steps). A
 * 500-step run measured, between steps 100 and 500: heap 1.5 KB per step, IndexedDB 290 bytes
 * per step, chart elements 361 → 404 (the accuracy dots: 0.1 per step), tensors 77 → 77. The
 * bounds allow about 2.5× those rates, on top of 2 MB of heap the collector may leave and 60
 * elements for axis ticks that come and go with the domains; what they catch is growth of
 * another kind: a tensor kept per step (thousands more), an old chart's SVG left behind per redraw
 * (hundreds of elements each time), a network stored per evaluation (tens of KB each).
 */
export const GROWTH_BOUNDS = {
  workerTensors: 8,
  heapBytesPerStep: 4096,
  heapSlackBytes: 2 * 1024 * 1024,
  indexedDbBytesPerStep: 768,
  chartElementsPerStep: 0.25,
  chartElementsSlack: 60,
} as const;

export function flatnessProblems([a, b]: [LongRunSample, LongRunSample]): string[] {
  const steps = b.step - a.step;
  const problems: string[] = [];
  if (b.workerTensors - a.workerTensors > GROWTH_BOUNDS.workerTensors) problems.push(`worker tensors ${a.workerTensors} → ${b.workerTensors}`);
  if (b.heapBytes - a.heapBytes > GROWTH_BOUNDS.heapSlackBytes + steps * GROWTH_BOUNDS.heapBytesPerStep) problems.push(`JS heap ${mb(a.heapBytes)} → ${mb(b.heapBytes)}`);
  if (b.indexedDbBytes - a.indexedDbBytes > steps * GROWTH_BOUNDS.indexedDbBytesPerStep) problems.push(`IndexedDB ${mb(a.indexedDbBytes)} → ${mb(b.indexedDbBytes)}`);
  if (b.chartElements - a.chartElements > GROWTH_BOUNDS.chartElementsSlack + steps * GROWTH_BOUNDS.chartElementsPerStep) problems.push(`chart elements ${a.chartElements} → ${b.chartElements}`);
  return problems;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** One line per measure: both samples and the growth per step between them. */
export function describeLongRun([a, b]: [LongRunSample, LongRunSample]): string {
  const steps = b.step - a.step;
  const per = (x: number, y: number) => `${((y - x) / steps).toFixed(2)} per step`;
  return [
    `samples at steps ${a.step} and ${b.step}`,
    `worker tensors   ${a.workerTensors} → ${b.workerTensors}`,
    `page JS heap     ${mb(a.heapBytes)} → ${mb(b.heapBytes)} (${per(a.heapBytes, b.heapBytes)}, bytes)`,
    `chart elements   ${a.chartElements} → ${b.chartElements} (${per(a.chartElements, b.chartElements)})`,
    `IndexedDB        ${mb(a.indexedDbBytes)} → ${mb(b.indexedDbBytes)} (${per(a.indexedDbBytes, b.indexedDbBytes)}, bytes)`,
  ].join('\n');
}
