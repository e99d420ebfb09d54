/**
 * The two runs of "Train with my BN" overlaid: training loss per step and test accuracy at each
 * evaluation, the reader's run solid in the text colour, the site's BN dashed in BN's blue.
 */
import * as Plot from '@observablehq/plot';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, showChart } from '../../../src/lib/plot/mount';
import type { EvalRecord, StepRecord } from './protocol';

export const RUN_NAMES = { mine: 'your BN', site: 'built-in BN' } as const;

// The key above the charts (CodeCell.astro) shows both colour and dash: Plot's swatches show colour only.
const color = { legend: false, domain: [RUN_NAMES.mine, RUN_NAMES.site], range: ['var(--fg)', 'var(--bn)'] };

export function drawTrainingCharts(target: { loss: HTMLElement; accuracy: HTMLElement }, steps: StepRecord[], evals: EvalRecord[], totalSteps: number): void {
  const width = plotWidth(target.loss, { max: 640 });
  const base = { width, height: 200, marginLeft: 48, marginBottom: MARGIN_FOR_X_LABEL, style: PLOT_STYLE, x: { domain: [0, totalSteps], label: 'step', ...X_LABEL_BELOW }, color };
  const loss = steps.flatMap((s) => [
    { step: s.step + 1, value: s.loss.mine, run: RUN_NAMES.mine },
    { step: s.step + 1, value: s.loss.site, run: RUN_NAMES.site },
  ]).filter((d) => Number.isFinite(d.value));
  const accuracy = evals.flatMap((e) => [
    { step: e.step, value: e.accuracy.mine, run: RUN_NAMES.mine },
    { step: e.step, value: e.accuracy.site, run: RUN_NAMES.site },
  ]);
  // The built-in run dashed, drawn over the reader's: where they agree both stay visible.
  const line = (data: typeof loss, marker: boolean) => [
    Plot.line(data.filter((d) => d.run === RUN_NAMES.mine), { x: 'step', y: 'value', stroke: 'run', strokeWidth: 2.5, marker: marker ? 'circle-stroke' : undefined }),
    Plot.line(data.filter((d) => d.run === RUN_NAMES.site), { x: 'step', y: 'value', stroke: 'run', strokeWidth: 2, strokeDasharray: '6,4', marker: marker ? 'circle-stroke' : undefined }),
  ];
  showChart(
    target.loss,
    Plot.plot({ ...base, y: { label: 'training loss', grid: true, zero: true }, marks: [Plot.ruleY([0]), ...line(loss, false)], ariaLabel: 'Training loss of both runs' }),
  );
  showChart(
    target.accuracy,
    Plot.plot({ ...base, y: { label: 'test accuracy', domain: [0, 1], grid: true, tickFormat: '.0%' }, marks: [...line(accuracy, true)], ariaLabel: 'Test accuracy of both runs' }),
  );
}
