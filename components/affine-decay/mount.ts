import * as Plot from '@observablehq/plot';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, showChart } from '../../src/lib/plot/mount';
import type { AffineDecayResult } from '../../src/lib/train/chapter/practice-protocol';
import { AFFINE_DECAY_RUN } from '../../src/lib/train/chapter/practice-runs';
import { formatNumber, formatPercent } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { practiceNetwork } from '../../src/components/practice-network/network';
import { schema } from './schema';

const LINES = ['γ and β decayed', 'γ and β spared'];

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, (ctx) => {
    const network = practiceNetwork();
    const unsubscribe = network.subscribe(() => {});
    const button = ctx.el<HTMLButtonElement>('[data-action="train"]');
    const progress = ctx.el<HTMLProgressElement>('[data-progress]');
    const status = ctx.out('status');
    const plot = ctx.el('[data-plot="gamma"]');
    let result: (AffineDecayResult & { weightDecay: number }) | undefined;
    let requested = 0;

    const show = (): void => {
      if (!result) return;
      const r = result;
      const rows = r.points.map((p) => ({ step: p.step, gamma: p.gamma, line: LINES[p.affineDecayed ? 0 : 1]! }));
      showChart(
        plot,
        Plot.plot({
          width: plotWidth(plot),
          height: 240,
          marginLeft: 50,
          marginBottom: MARGIN_FOR_X_LABEL,
          style: PLOT_STYLE,
          x: { label: 'training step', domain: [0, AFFINE_DECAY_RUN.steps], ...X_LABEL_BELOW },
          y: { label: 'mean γ', grid: true, domain: [0, Math.max(1.2, ...rows.map((d) => d.gamma))] },
          color: { legend: true, domain: LINES, range: ['var(--nobn)', 'var(--bn)'] },
          marks: [Plot.ruleY([1], { stroke: 'currentColor', strokeOpacity: 0.3, strokeDasharray: '3,3' }), Plot.lineY(rows, { x: 'step', y: 'gamma', stroke: 'line', strokeWidth: 2 })],
        }),
      );
      const end = (decayed: boolean) => r.points.filter((p) => p.affineDecayed === decayed).at(-1)!.gamma;
      ctx.out('gamma-decayed').value = formatNumber(end(true), 3);
      ctx.out('gamma-spared').value = formatNumber(end(false), 3);
      ctx.out('acc-decayed').value = formatPercent(r.accuracyDecayed);
      ctx.out('acc-spared').value = formatPercent(r.accuracySpared);
      plot.setAttribute(
        'aria-label',
        `Mean γ over ${AFFINE_DECAY_RUN.steps} steps with λ = ${r.weightDecay}: it ends at ${formatNumber(end(true), 3)} when γ and β are decayed and at ${formatNumber(end(false), 3)} when they are spared; test accuracy ${formatPercent(r.accuracyDecayed)} against ${formatPercent(r.accuracySpared)}.`,
      );
    };

    const train = (): void => {
      const id = ++requested;
      const weightDecay = Number(ctx.state.decay);
      button.disabled = true;
      status.value = 'starting…';
      network
        .compute({ task: 'affine-decay', weightDecay }, (fraction, text) => {
          progress.value = fraction;
          status.value = text;
        })
        .then((r) => {
          if (r.task !== 'affine-decay' || id !== requested) return;
          result = r;
          progress.value = 1;
          status.value = `trained twice with λ = ${r.weightDecay}`;
          root.dataset.result = String(id);
          root.dataset.decay = String(r.weightDecay);
          show();
        })
        .catch((err: unknown) => (status.value = `Training failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => (button.disabled = false));
    };

    return {
      drawOnMount: false,
      draw(_state, changes) {
        if (changes.has('decay') && result) train();
        else show();
      },
      actions: { train },
      resizes: plot,
      dispose: unsubscribe,
    };
  });
