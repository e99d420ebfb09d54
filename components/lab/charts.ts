import * as Plot from '@observablehq/plot';
import { PLOT_STYLE, plotWidth, showChart } from '../../src/lib/plot/mount';
import type { EvalResult, PerRun, RunMetrics, RunName } from '../../src/lib/train/protocol';

export interface History {
  metrics: Array<{ step: number; runs: PerRun<RunMetrics> }>;
  evals: Array<{ step: number; runs: PerRun<EvalResult> }>;
}

const COLORS: Record<string, string> = { norm: 'var(--bn)', plain: 'var(--nobn)' };
const LABELS: Record<string, string> = { norm: 'normalized', plain: 'plain' };

const base = (width: number, steps: number) => ({
  width,
  height: 220,
  marginLeft: 48,
  style: PLOT_STYLE,
  x: { domain: [0, steps], label: 'step' },
});

const color = { legend: true, domain: ['normalized', 'plain'], range: [COLORS.norm!, COLORS.plain!] };

export type ChartName = 'loss' | 'accuracy' | 'percentiles' | 'running';
export const CHART_NAMES: readonly ChartName[] = ['loss', 'accuracy', 'percentiles', 'running'];

interface ChartInput {
  target: HTMLElement;
  history: History;
  steps: number;
  layer: number;
  width: number;
}

/** One chart from the full history; Plot has no incremental update, and it is cheap at this size. */
export const drawChart: Record<ChartName, (input: ChartInput) => void> = {
  loss({ target, history, steps, width }) {
    const loss = history.metrics.flatMap((m) =>
      Object.entries(m.runs)
        .filter(([, r]) => Number.isFinite(r.loss))
        .map(([name, r]) => ({ step: m.step, value: r.loss, run: LABELS[name] ?? name })),
    );
    showChart(target, Plot.plot({ ...base(width, steps), color, y: { domain: [0, 2.5], clamp: true, label: 'loss', grid: true }, marks: [Plot.lineY(loss, { x: 'step', y: 'value', stroke: 'run', z: 'run' })] }));
    const last = loss.length ? `latest loss: ${loss.slice(-2).map((d) => `${d.run} ${d.value.toFixed(3)}`).join(', ')}` : 'no steps yet';
    target.setAttribute('aria-label', `Training loss over steps for both runs; ${last}`);
  },

  accuracy({ target, history, steps, width }) {
    const acc = history.evals.flatMap((e) => Object.entries(e.runs).map(([name, r]) => ({ step: e.step, value: r.inferAccuracy, run: LABELS[name] ?? name })));
    showChart(
      target,
      Plot.plot({
        ...base(width, steps),
        color,
        y: { domain: [0, 1], label: 'test accuracy', grid: true, tickFormat: '.0%' },
        marks: [Plot.lineY(acc, { x: 'step', y: 'value', stroke: 'run', z: 'run' }), Plot.dot(acc, { x: 'step', y: 'value', fill: 'run', r: 2.5 })],
      }),
    );
    target.setAttribute('aria-label', `Test accuracy over steps; ${acc.slice(-2).map((d) => `${d.run} ${(d.value * 100).toFixed(1)}%`).join(', ') || 'no evaluation yet'}`);
  },

  percentiles({ target, history, steps, layer, width }) {
    const bands = history.metrics.flatMap((m) =>
      Object.entries(m.runs).flatMap(([name, r]) => {
        const p = r.percentiles?.[layer];
        return p ? [{ step: m.step, run: LABELS[name] ?? name, ...p }] : [];
      }),
    );
    showChart(
      target,
      Plot.plot({
        ...base(width, steps),
        color,
        y: { label: 'input to the nonlinearity', grid: true },
        marks: [
          Plot.areaY(bands, { x: 'step', y1: 'p15', y2: 'p85', fill: 'run', z: 'run', fillOpacity: 0.18 }),
          Plot.lineY(bands, { x: 'step', y: 'p50', stroke: 'run', z: 'run' }),
          Plot.lineY(bands, { x: 'step', y: 'p15', stroke: 'run', z: 'run', strokeDasharray: '3,3' }),
          Plot.lineY(bands, { x: 'step', y: 'p85', stroke: 'run', z: 'run', strokeDasharray: '3,3' }),
        ],
      }),
    );
    target.setAttribute('aria-label', `15th, 50th and 85th percentiles of layer ${layer + 1}'s watched unit over steps, for both runs`);
  },

  running({ target, history, steps, layer, width }) {
    const running = history.metrics.flatMap((m) => {
      const r = m.runs.norm?.running?.[layer];
      return r ? [{ step: m.step, stat: 'running mean', value: r.mean }, { step: m.step, stat: 'running variance', value: r.variance }] : [];
    });
    showChart(
      target,
      Plot.plot({
        ...base(width, steps),
        color: { legend: true },
        y: { label: 'value', grid: true },
        marks: [Plot.lineY(running, { x: 'step', y: 'value', stroke: 'stat', z: 'stat' }), Plot.ruleY([0])],
      }),
    );
    target.setAttribute('aria-label', running.length ? `Running mean and variance of layer ${layer + 1}, channel 1; latest mean ${running.at(-2)!.value.toFixed(3)}, variance ${running.at(-1)!.value.toFixed(3)}` : 'No running statistics: the normalized run has no BN running averages in this setting.');
  },
};

/** The lab's charts share one width: the loss chart's column, a little wider than the chapters' charts. */
export const chartWidth = (container: HTMLElement): number => plotWidth(container, { min: 280, max: 760 });

/** The curves as CSV rows: step, run, loss, and test accuracies where evaluated. */
export function historyCsv(history: History): string {
  const rows = ['step,run,loss,test_accuracy_inference,test_accuracy_training_mode'];
  const evalAt = new Map(history.evals.map((e) => [e.step, e.runs]));
  for (const m of history.metrics) {
    for (const [name, r] of Object.entries(m.runs)) {
      const e = evalAt.get(m.step)?.[name as RunName];
      rows.push([m.step, name, r.loss, e?.inferAccuracy ?? '', e?.trainModeAccuracy ?? ''].join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}
