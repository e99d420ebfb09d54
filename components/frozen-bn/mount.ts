import * as Plot from '@observablehq/plot';
import { panels } from '../../src/lib/plot/panels';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plotWidth, showChart } from '../../src/lib/plot/mount';
import type { FinetunePoint } from '../../src/lib/train/chapter/practice-protocol';
import { FINETUNE_MODES, FINETUNE_RUN } from '../../src/lib/train/chapter/practice-runs';
import { formatPercent } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { bindNetworkControls, practiceNetwork } from '../../src/components/practice-network/network';
import { schema } from './schema';

const PANELS = ['old digits', 'new digits (brightened)'];
const LABELS = FINETUNE_MODES.map(([, label]) => label);
const labelOf = new Map<string, string>(FINETUNE_MODES);

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, (ctx) => {
    const network = practiceNetwork();
    const button = ctx.el<HTMLButtonElement>('[data-action="finetune"]');
    const progress = ctx.el<HTMLProgressElement>('[data-progress]');
    const status = ctx.out('status');
    const plot = ctx.el('[data-plot="accuracy"]');
    let ready = false;
    let running = false;
    let requested = 0;
    let points: FinetunePoint[] = [];
    let generation = 0;

    const drawChart = (): void => {
      const rows = points.flatMap((p) => [
        { step: p.step, accuracy: p.old, panel: PANELS[0]!, mode: labelOf.get(p.mode)! },
        { step: p.step, accuracy: p.new, panel: PANELS[1]!, mode: labelOf.get(p.mode)! },
      ]);
      const layout = panels(plotWidth(plot), 'panel', PANELS, 250);
      showChart(
        plot,
        Plot.plot({
          width: plotWidth(plot),
          ...layout.options,
          marginLeft: 50,
          marginBottom: MARGIN_FOR_X_LABEL,
          style: PLOT_STYLE,
          x: { label: 'fine-tuning step', domain: [0, FINETUNE_RUN.steps], ...X_LABEL_BELOW },
          y: { label: 'test accuracy', grid: true, tickFormat: (v: number) => `${Math.round(v * 100)}%` },
          color: { legend: true, domain: LABELS, range: ['var(--nobn)', 'var(--bn)', 'currentColor'] },
          marks: [Plot.lineY(rows, { x: 'step', y: 'accuracy', stroke: 'mode', ...layout.facet }), Plot.dot(rows, { x: 'step', y: 'accuracy', fill: 'mode', symbol: 'mode', r: 3, ...layout.facet }), ...layout.labels],
        }),
      );
      const last = (mode: string) => points.filter((p) => p.mode === mode).at(-1)!;
      plot.setAttribute(
        'aria-label',
        `Accuracy on the old digits after ${FINETUNE_RUN.steps} fine-tuning steps: ${FINETUNE_MODES.map(([mode, label]) => `${label} ${formatPercent(last(mode).old)}`).join(', ')}; before fine-tuning ${formatPercent(points[0]!.old)}.`,
      );
    };

    const show = (): void => {
      if (!points.length) return;
      ctx.out('start-old').value = formatPercent(points[0]!.old);
      for (const [mode] of FINETUNE_MODES) {
        const last = points.filter((p) => p.mode === mode).at(-1)!;
        ctx.out(`old-${mode}`).value = formatPercent(last.old);
        ctx.out(`new-${mode}`).value = formatPercent(last.new);
      }
      drawChart();
    };

    // A batch chosen while a run is under way: run again for it when that run ends.
    let rerun = false;

    const fineTune = (): void => {
      if (!ready) return;
      if (running) {
        rerun = true;
        return;
      }
      rerun = false;
      running = true;
      button.disabled = true;
      const batchSize = Number(ctx.state.batch);
      const id = ++requested;
      status.value = 'fine-tuning…';
      network
        .compute({ task: 'finetune', batchSize }, (fraction, text) => {
          // Only while this run is the one under way: a late step must not overwrite the final line.
          if (id !== requested || !running) return;
          progress.value = fraction;
          status.value = `fine-tuning: ${text}`;
        })
        .then((r) => {
          if (r.task !== 'finetune' || id !== requested) return;
          points = r.points;
          progress.value = 1;
          status.value = `finished: ${FINETUNE_RUN.steps} steps each way with batches of ${r.batchSize}, ${network.describe()}`;
          root.dataset.result = String(id);
          root.dataset.batch = String(r.batchSize);
          show();
        })
        .catch((err: unknown) => (status.value = `Fine-tuning failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          running = false;
          button.disabled = !ready;
          if (rerun) fineTune();
        });
    };

    const controls = bindNetworkControls(root, network, (state) => {
      ready = state.phase === 'ready';
      button.disabled = !ready || running;
      // A new network (trained again, or the reader's loaded): the curves shown are another's.
      if (ready && state.generation !== generation && !running) {
        generation = state.generation;
        status.value = points.length ? `the network changed: press "Fine-tune three ways" for ${network.describe()}` : 'ready: press "Fine-tune three ways"';
      }
    });

    return {
      drawOnMount: false,
      draw(_state, changes) {
        if (changes.has('batch') && points.length) fineTune();
        else show();
      },
      actions: { ...controls.actions, finetune: fineTune },
      resizes: plot,
      dispose: controls.dispose,
    };
  });
