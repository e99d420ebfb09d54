// @vitest-environment jsdom
/**
 * The charts as data → SVG, the way Observable Plot tests its own marks: each drawing function
 * renders fixed inputs into a jsdom document, and the markup is compared with a checked-in
 * snapshot (__snapshots__/<name>.svg, or .html where Plot wraps the SVG with its legend in a
 * figure). A change to a chart shows as a diff of its SVG; after checking the new drawing,
 * `npx vitest run tests/unit/plot/charts.test.ts -u` rewrites the snapshots.
 *
 * The inputs are fixed numbers chosen to exercise each chart (two twins, a diverged sweep value,
 * an overlay), not training results: the lab's browser test trains for real and checks that its
 * charts are drawn from that run.
 */
import { describe, expect, it } from 'vitest';
import { drawChart } from '../../../components/lab/charts';
import { drawConfusion, drawLayerBands } from '../../../components/lab/layer-charts';
import { drawSweepChart } from '../../../components/lab/sweep-chart';
import { LiveHistogram } from '../../../src/lib/plot/histogram';
import type { History } from '../../../src/lib/runs/types';
import type { Percentiles, RunName } from '../../../src/lib/train/lab/protocol';

/** One element per tag on its own line, so a snapshot's diff points at the mark that changed. */
const pretty = (html: string): string => `${html.replace(/></g, '>\n<')}\n`;

function snapshot(target: HTMLElement, name: string): Promise<void> {
  const chart = target.firstElementChild!;
  const extension = chart.localName === 'svg' ? 'svg' : 'html';
  return expect(pretty(chart.outerHTML)).toMatchFileSnapshot(`__snapshots__/${name}.${extension}`);
}

const container = (): HTMLElement => document.createElement('div');

/** Fixed curves for 60 steps, metrics every 5 and evaluations every 20: the plain twin learns slower. */
function history(layers: number): History {
  const band = (step: number, drift: number, layer: number): Percentiles => {
    const centre = drift * (step / 60) * (layer + 1) - 0.1 * layer;
    return { p15: centre - 0.9, p50: centre, p85: centre + 0.9 + 0.1 * layer };
  };
  const metrics: History['metrics'] = [];
  for (let step = 5; step <= 60; step += 5) {
    metrics.push({
      step,
      runs: {
        norm: {
          step,
          loss: 2.3 * Math.exp(-step / 20) + 0.1,
          status: 'training',
          percentiles: Array.from({ length: layers }, (_, l) => band(step, 0.05, l)),
          running: Array.from({ length: layers }, (_, l) => ({ mean: 0.3 * (1 - Math.exp(-step / 15)) + 0.05 * l, variance: 1 + 0.6 * (1 - Math.exp(-step / 15)) })),
        },
        plain: { step, loss: 2.3 * Math.exp(-step / 45) + 0.2, status: 'training', percentiles: Array.from({ length: layers }, (_, l) => band(step, 1.5, l)) },
      },
    });
  }
  const evals: History['evals'] = [20, 40, 60].map((step) => ({
    step,
    runs: {
      norm: { step, inferAccuracy: 0.6 + step / 200, examples: 1000 },
      plain: { step, inferAccuracy: 0.3 + step / 150, examples: 1000 },
    },
  }));
  return { metrics, evals };
}

describe("the lab's live charts", () => {
  const run = history(3);

  it('loss: one line per twin, the y axis clamped to [0, 2.5]', async () => {
    const target = container();
    drawChart.loss({ target, history: run, steps: 60, layer: 0, width: 640 });
    expect(target.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(target.getAttribute('aria-label')).toBe('Training loss over steps for both runs; latest loss: normalized 0.215, plain 0.806');
    await snapshot(target, 'lab-loss');
  });

  it('loss with a saved run overlaid: dashed twins under the live ones, named in the legend', async () => {
    const target = container();
    drawChart.loss({ target, history: run, steps: 60, layer: 0, width: 640, overlay: { history: history(3), label: 'saved 09:40' } });
    expect(target.querySelectorAll('g[aria-label="line"][stroke-dasharray="6,4"] path')).toHaveLength(2);
    expect(target.textContent).toContain('normalized (saved 09:40, dashed)');
    await snapshot(target, 'lab-loss-overlay');
  });

  it('loss before the first step is a sentence, not empty axes', () => {
    const target = container();
    drawChart.loss({ target, history: { metrics: [], evals: [] }, steps: 60, layer: 0, width: 640 });
    expect(target.querySelector('svg')).toBeNull();
    expect(target.textContent).toBe('No steps yet: the loss appears here after the first step.');
  });

  it('accuracy: lines and a dot per evaluation', async () => {
    const target = container();
    drawChart.accuracy({ target, history: run, steps: 60, layer: 0, width: 640 });
    expect(target.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(6);
    await snapshot(target, 'lab-accuracy');
  });

  it("percentiles: the chosen layer's 15–85 band and median per twin", async () => {
    const target = container();
    drawChart.percentiles({ target, history: run, steps: 60, layer: 2, width: 640 });
    expect(target.querySelectorAll('g[aria-label="area"] path')).toHaveLength(2);
    expect(target.getAttribute('aria-label')).toContain("layer 3's watched unit");
    await snapshot(target, 'lab-percentiles');
  });

  it("running: the normalized twin's running mean and variance", async () => {
    const target = container();
    drawChart.running({ target, history: run, steps: 60, layer: 1, width: 640 });
    expect(target.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    await snapshot(target, 'lab-running');
  });
});

describe("the digit tools' charts", () => {
  it('layer bands: a panel per twin and hidden layer', async () => {
    const target = container();
    drawLayerBands(target, history(3), 60, 720);
    expect(target.querySelectorAll('g[aria-label="area"] path')).toHaveLength(6);
    await snapshot(target, 'lab-layer-bands');
  });

  it('layer bands on a phone: one tick, the last step, per panel', async () => {
    const target = container();
    drawLayerBands(target, history(3), 60, 340);
    const ticks = [...target.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent);
    expect(new Set(ticks)).toEqual(new Set(['60']));
    await snapshot(target, 'lab-layer-bands-phone');
  });

  it('confusion matrices: mistakes coloured and counted, side by side', async () => {
    const matrix = (mistakes: Array<[number, number, number]>): number[] => {
      const m: number[] = Array.from({ length: 100 }, (_, k) => (Math.floor(k / 10) === k % 10 ? 950 : 0));
      for (const [truth, predicted, count] of mistakes) m[truth * 10 + predicted] = count;
      return m;
    };
    const target = container();
    drawConfusion(target, { norm: matrix([[4, 9, 12], [7, 2, 5]]), plain: matrix([[4, 9, 30], [3, 5, 18], [8, 3, 2]]) }, 720);
    expect([...target.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent)).toEqual(['12', '5', '18', '30', '2']);
    expect(target.getAttribute('aria-label')).toBe('Confusion matrices on the test set. normalized: most often 4 read as 9 (12 times); plain: most often 4 read as 9 (30 times).');
    await snapshot(target, 'lab-confusion');
  });
});

describe("the lab's sweep chart", () => {
  it("learning rates on a log axis; the plain twin's diverged runs marked ✕", async () => {
    const values = [0.01, 0.1, 0.5, 1, 2, 5];
    const points = values.map((value, i) => ({
      value,
      runs: {
        norm: { diverged: i === 5, divergedAtStep: i === 5 ? 12 : null, loss: 0.3, accuracy: i === 5 ? 0.1 : 0.85 + 0.02 * i },
        plain: { diverged: i >= 3, divergedAtStep: i >= 3 ? 3 : null, loss: 0.5, accuracy: i >= 3 ? 0.1 : 0.7 + 0.05 * i },
      },
    }));
    const target = container();
    const label = (r: RunName) => (r === 'norm' ? 'normalized' : 'plain');
    drawSweepChart(target, { kind: 'lr', values, steps: 60 }, points, label, 640);
    expect([...target.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent)).toEqual(['0.01', '0.1', '0.5', '1', '2', '5']);
    expect(target.getAttribute('aria-label')).toBe('Final test accuracy against learning rate for normalized and plain; normalized failed at 5; plain failed at 1, 2, 5.');
    await snapshot(target, 'lab-sweep');
  });
});

describe('the chapters’ live histogram', () => {
  it('bars placed from the counts, the mean and ± one std marked', async () => {
    const values = Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.7) * 1.5 + 0.5);
    const target = container();
    const histogram = new LiveHistogram(target);
    const { mean, std } = histogram.draw(values, { domain: [-3, 3], bins: 24, label: 'x', color: 'var(--bn)', width: 320 });
    const bars = [...target.querySelectorAll<SVGRectElement>('g[data-bars] rect')];
    expect(bars.reduce((n, bar) => n + Number(bar.dataset.count), 0)).toBe(64);
    expect(mean).toBeCloseTo(values.reduce((a, v) => a + v, 0) / 64, 12);
    expect(std).toBeGreaterThan(0);
    await snapshot(target, 'histogram');
  });

  it('a second draw with the same frame moves the bars only', async () => {
    const target = container();
    const histogram = new LiveHistogram(target);
    const spec = { domain: [-3, 3] as [number, number], bins: 12, label: 'x̂', color: 'var(--ok)', width: 320 };
    histogram.draw([-1, 0, 0, 1, 2], spec);
    const frame = target.firstElementChild;
    histogram.draw([-2, -1, 0, 1, 1], spec);
    expect(target.firstElementChild).toBe(frame);
    await snapshot(target, 'histogram-redrawn');
  });
});
