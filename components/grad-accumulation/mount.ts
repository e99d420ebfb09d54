import * as Plot from '@observablehq/plot';
import { logAxisX, logAxisY } from '../../src/lib/plot/log-axis';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, powerOfTen, showChart } from '../../src/lib/plot/mount';
import type { AccumulationPoint } from '../../src/lib/train/chapter/practice-protocol';
import type { HeadBiasGradients } from '../../src/lib/train/chapter/practice-protocol';
import { ACCUMULATION_RUN } from '../../src/lib/train/chapter/practice-runs';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { practiceNetwork } from '../../src/components/practice-network/network';
import { MICRO_BATCHES, schema } from './schema';

const LINES = ['with BN', 'plain (no BN)'];
const exponentOf = (v: number): number => Math.floor(Math.log10(v));

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, (ctx) => {
    const network = practiceNetwork();
    const unsubscribe = network.subscribe(() => {});
    const button = ctx.el<HTMLButtonElement>('[data-action="compute"]');
    const progress = ctx.el<HTMLProgressElement>('[data-progress]');
    const status = ctx.out('status');
    const plot = ctx.el('[data-plot="gaps"]');
    let result: { points: AccumulationPoint[]; headBias: HeadBiasGradients[] } | undefined;

    const drawChart = (points: AccumulationPoint[], chosen: number): void => {
      const rows = points.flatMap((p) => [
        { b: p.microBatch, gap: p.bnGap, line: LINES[0]! },
        { b: p.microBatch, gap: p.plainGap, line: LINES[1]! },
      ]);
      const all = rows.map((r) => r.gap).filter((g) => g > 0);
      const low = 10 ** exponentOf(Math.min(...all));
      const high = 10 ** (exponentOf(Math.max(...all)) + 1);
      const ticks = Array.from({ length: Math.round(Math.log10(high / low)) + 1 }, (_, i) => low * 10 ** i);
      showChart(
        plot,
        Plot.plot({
          width: plotWidth(plot),
          height: 260,
          marginLeft: 56,
          marginBottom: MARGIN_FOR_X_LABEL,
          style: PLOT_STYLE,
          x: { type: 'log', domain: [MICRO_BATCHES[0]! / 1.3, MICRO_BATCHES.at(-1)! * 1.3], axis: null },
          y: { type: 'log', domain: [low, high], axis: null },
          color: { legend: true, domain: LINES, range: ['var(--bn)', 'var(--nobn)'] },
          marks: [
            logAxisX(MICRO_BATCHES, { label: 'micro-batch size b', ...X_LABEL_BELOW }),
            ...logAxisY(ticks.filter((_, i) => i % 2 === 0 || ticks.length < 6), { label: '‖g_acc − g‖ / ‖g‖', format: powerOfTen }),
            Plot.ruleX([chosen], { stroke: 'currentColor', strokeOpacity: 0.3, strokeDasharray: '3,3' }),
            Plot.lineY(rows, { x: 'b', y: 'gap', stroke: 'line' }),
            Plot.dot(rows, { x: 'b', y: 'gap', fill: 'line', symbol: 'line', r: 4 }),
          ],
        }),
      );
      const bn = points.map((p) => p.bnGap);
      plot.setAttribute(
        'aria-label',
        `Relative difference between the accumulated and the whole-batch gradient: with BN from ${formatNumber(Math.min(...bn), 2)} to ${formatNumber(Math.max(...bn), 2)}, growing as the micro-batches shrink; without BN at most ${formatNumber(Math.max(...points.map((p) => p.plainGap)), 2)}, float32 rounding.`,
      );
    };

    const show = (): void => {
      if (!result) return;
      const b = Number(ctx.state.b);
      const point = result.points.find((p) => p.microBatch === b)!;
      ctx.out('bn-gap').value = formatNumber(point.bnGap, 3);
      ctx.out('plain-gap').value = formatNumber(point.plainGap, 2);
      ctx.out('variance').value = formatNumber(point.varianceRatio, 4);
      drawChart(result.points, b);
      // The head bias's gradients, whole batch and per micro-batch, so the browser test can
      // average the micro-batches itself.
      root.dataset.headBias = JSON.stringify(result.headBias.find((h) => h.microBatch === b));
      root.dataset.shown = String(b);
    };

    return {
      drawOnMount: false,
      draw() {
        show();
      },
      actions: {
        compute: () => {
          button.disabled = true;
          status.value = 'starting…';
          network
            .compute({ task: 'accumulate' }, (fraction, text) => {
              progress.value = fraction;
              status.value = text;
            })
            .then((r) => {
              if (r.task !== 'accumulate') return;
              result = r;
              progress.value = 1;
              status.value = `computed: one batch of ${ACCUMULATION_RUN.batchSize} digits, ${r.points.length} micro-batch sizes`;
              root.dataset.computed = 'true';
              show();
            })
            .catch((err: unknown) => (status.value = `Failed: ${err instanceof Error ? err.message : String(err)}`))
            .finally(() => (button.disabled = false));
        },
      },
      resizes: plot,
      dispose: unsubscribe,
    };
  });
