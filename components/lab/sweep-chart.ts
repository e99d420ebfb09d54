import * as Plot from '@observablehq/plot';
import { logAxisX } from '../../src/lib/plot/log-axis';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, showChart } from '../../src/lib/plot/mount';
import type { RunName, SweepPoint, SweepSpec } from '../../src/lib/train/lab/protocol';

/**
 * A sweep's result as a figure: each twin's final test accuracy against the swept value, with
 * the runs that diverged or failed to learn marked ✕ at the foot of the chart. The table below
 * it carries the same numbers as text.
 */
export function drawSweepChart(target: HTMLElement, spec: SweepSpec, points: SweepPoint[], runLabel: (run: RunName) => string, width: number): void {
  const rows = points.flatMap((p) =>
    (Object.entries(p.runs) as Array<[RunName, NonNullable<SweepPoint['runs'][RunName]>]>).map(([run, r]) => ({ value: p.value, run: runLabel(run), accuracy: r.accuracy, diverged: r.diverged })),
  );
  const names = [...new Set(rows.map((r) => r.run))];
  const xLabel = spec.kind === 'lr' ? 'learning rate (log scale)' : 'batch size (log scale)';
  showChart(
    target,
    Plot.plot({
      width,
      height: 220,
      marginLeft: 48,
      marginBottom: MARGIN_FOR_X_LABEL,
      style: PLOT_STYLE,
      x: { type: 'log', domain: [Math.min(...spec.values), Math.max(...spec.values)] },
      y: { domain: [0, 1], label: 'final test accuracy', grid: true, tickFormat: '.0%' },
      color: { legend: true, domain: names, range: ['var(--bn)', 'var(--nobn)', 'var(--ok)'].slice(0, names.length) },
      marks: [
        logAxisX(spec.values, { label: xLabel, ...X_LABEL_BELOW }),
        Plot.lineY(rows, { x: 'value', y: 'accuracy', stroke: 'run', z: 'run' }),
        Plot.dot(rows.filter((r) => !r.diverged), { x: 'value', y: 'accuracy', fill: 'run', r: 3 }),
        Plot.dot(rows.filter((r) => r.diverged), { x: 'value', y: 'accuracy', stroke: 'run', symbol: 'times', r: 5, strokeWidth: 2 }),
      ],
    }),
  );
  const failed = (name: string) => rows.filter((r) => r.run === name && r.diverged).map((r) => r.value);
  target.setAttribute(
    'aria-label',
    `Final test accuracy against ${spec.kind === 'lr' ? 'learning rate' : 'batch size'} for ${names.join(' and ')}; ${names.map((n) => (failed(n).length ? `${n} failed at ${failed(n).join(', ')}` : `${n} learned at every value so far`)).join('; ')}.`,
  );
}
