import * as Plot from '@observablehq/plot';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, showChart } from '../../src/lib/plot/mount';
import { formatPercent } from '../../src/lib/widget/dom';
import type { History } from '../../src/lib/runs/types';
import type { RunName } from '../../src/lib/train/lab/protocol';

const COLORS: Record<string, string> = { norm: 'var(--bn)', plain: 'var(--nobn)' };
const LABELS: Record<string, string> = { norm: 'normalized', plain: 'plain' };

const base = (width: number, steps: number) => ({
  width,
  height: 220,
  marginLeft: 48,
  marginBottom: MARGIN_FOR_X_LABEL,
  style: PLOT_STYLE,
  x: { domain: [0, steps], label: 'step', ...X_LABEL_BELOW },
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
  /** A saved run's curves drawn under the live ones, dashed and faded (loss and accuracy charts). */
  overlay?: Overlay;
}

/** A saved run shown beside the current one. */
export interface Overlay {
  history: History;
  /** Its name in the legend, e.g. "saved 09:40". */
  label: string;
}

/** The overlay's legend names: one per twin, "normalized (saved 09:40, dashed)". */
const overlayName = (run: string, overlay: Overlay): string => `${run} (${overlay.label}, dashed)`;

/** The color scale with the overlay's twins added (the same hue as the live twin, the line dashed); the live twins only once they have data. */
function colorWith(overlay: Overlay | undefined, runs: string[], live: boolean) {
  if (!overlay) return color;
  const names = runs.map((r) => overlayName(r, overlay));
  const hues = runs.map((r) => (r === LABELS.norm ? COLORS.norm! : COLORS.plain!));
  return live ? { legend: true, domain: [...color.domain, ...names], range: [...color.range, ...hues] } : { legend: true, domain: names, range: hues };
}

interface Point {
  step: number;
  value: number;
  run: string;
}

/** A saved run's series, computed once: its points renamed for the legend, and its twins' names. */
function overlaySeries(overlay: Overlay | undefined, seriesOf: (h: History) => Point[]): { saved: Point[]; savedRuns: string[] } {
  if (!overlay) return { saved: [], savedRuns: [] };
  const points = seriesOf(overlay.history);
  return { saved: points.map((d) => ({ ...d, run: overlayName(d.run, overlay) })), savedRuns: [...new Set(points.map((d) => d.run))] };
}

const overlayStyle = { strokeDasharray: '6,4', strokeOpacity: 0.6 } as const;
const lastStep = (h: History | undefined): number => Math.max(0, ...(h?.metrics.map((m) => m.step) ?? []), ...(h?.evals.map((e) => e.step) ?? []));

/** Plain decimals on value axes (d3's default would write 0.2 as "200m" on some domains). */
const PLAIN = '~g';

/** Before there is data a chart is a sentence, not empty axes and a legend for nothing. */
function showEmpty(target: HTMLElement, text: string): void {
  const note = document.createElement('p');
  note.className = 'chart-empty';
  note.textContent = text;
  target.replaceChildren(note);
  target.setAttribute('aria-label', text);
}

/** One chart from the full history; Plot has no incremental update, and it is cheap at this size. */
export const drawChart: Record<ChartName, (input: ChartInput) => void> = {
  loss({ target, history, steps, width, overlay }) {
    const lossOf = (h: History) =>
      h.metrics.flatMap((m) =>
        Object.entries(m.runs)
          .filter(([, r]) => Number.isFinite(r.loss))
          .map(([name, r]) => ({ step: m.step, value: r.loss, run: LABELS[name] ?? name })),
      );
    const loss = lossOf(history);
    const { saved, savedRuns } = overlaySeries(overlay, lossOf);
    if (!loss.length && !saved.length) return showEmpty(target, 'No steps yet: the loss appears here after the first step.');
    showChart(
      target,
      Plot.plot({
        ...base(width, Math.max(steps, lastStep(overlay?.history))),
        color: colorWith(overlay, savedRuns, loss.length > 0),
        y: { domain: [0, 2.5], clamp: true, label: 'loss', grid: true, tickFormat: PLAIN },
        marks: [
          ...(saved.length ? [Plot.lineY(saved, { x: 'step', y: 'value', stroke: 'run', z: 'run', ...overlayStyle })] : []),
          Plot.lineY(loss, { x: 'step', y: 'value', stroke: 'run', z: 'run' }),
        ],
      }),
    );
    const last = loss.length ? `latest loss: ${loss.slice(-2).map((d) => `${d.run} ${d.value.toFixed(3)}`).join(', ')}` : 'no steps yet';
    const also = overlay ? `; dashed: ${overlay.label}` : '';
    target.setAttribute('aria-label', `Training loss over steps for both runs; ${last}${also}`);
  },

  accuracy({ target, history, steps, width, overlay }) {
    const accOf = (h: History) => h.evals.flatMap((e) => Object.entries(e.runs).map(([name, r]) => ({ step: e.step, value: r.inferAccuracy, run: LABELS[name] ?? name })));
    const acc = accOf(history);
    const { saved, savedRuns } = overlaySeries(overlay, accOf);
    if (!acc.length && !saved.length) return showEmpty(target, 'No evaluation yet: test accuracy appears here every 20 steps.');
    showChart(
      target,
      Plot.plot({
        ...base(width, Math.max(steps, lastStep(overlay?.history))),
        color: colorWith(overlay, savedRuns, acc.length > 0),
        y: { domain: [0, 1], label: 'test accuracy', grid: true, tickFormat: '.0%' },
        marks: [
          ...(saved.length ? [Plot.lineY(saved, { x: 'step', y: 'value', stroke: 'run', z: 'run', ...overlayStyle })] : []),
          Plot.lineY(acc, { x: 'step', y: 'value', stroke: 'run', z: 'run' }),
          Plot.dot(acc, { x: 'step', y: 'value', fill: 'run', r: 2.5 }),
        ],
      }),
    );
    const also = overlay ? `; dashed: ${overlay.label}` : '';
    target.setAttribute('aria-label', `Test accuracy over steps; ${acc.slice(-2).map((d) => `${d.run} ${formatPercent(d.value)}`).join(', ') || 'no evaluation yet'}${also}`);
  },

  percentiles({ target, history, steps, layer, width }) {
    const bands = history.metrics.flatMap((m) =>
      Object.entries(m.runs).flatMap(([name, r]) => {
        const p = r.percentiles?.[layer];
        return p ? [{ step: m.step, run: LABELS[name] ?? name, ...p }] : [];
      }),
    );
    if (!bands.length) return showEmpty(target, 'No steps yet: the percentile bands appear here after the first step.');
    showChart(
      target,
      Plot.plot({
        ...base(width, steps),
        color,
        y: { label: 'input to the nonlinearity', grid: true, tickFormat: PLAIN },
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
    if (!running.length) {
      return showEmpty(target, history.metrics.length ? 'No running statistics: the normalized run has no BN running averages in this setting.' : 'No steps yet: the running averages appear here after the first step.');
    }
    showChart(
      target,
      Plot.plot({
        ...base(width, steps),
        color: { legend: true, domain: ['running mean', 'running variance'], range: ['var(--bn)', 'var(--ok)'] },
        y: { label: 'value', grid: true, tickFormat: PLAIN },
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
