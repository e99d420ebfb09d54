import * as Plot from '@observablehq/plot';
import { PLOT_STYLE, plotWidth, showChart } from '../../src/lib/plot/mount';
import { DECAY_RUN, equilibriumStep } from '../../src/lib/train/chapter/runs';
import { startChapterWorker } from '../../src/lib/train/chapter/client';
import type { DecayPoint } from '../../src/lib/train/chapter/decay';
import { formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { schema } from './schema';

interface Trained {
  weightDecay: number;
  points: DecayPoint[];
}

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, (ctx) => {
    const progress = ctx.el<HTMLProgressElement>('[data-progress]');
    const status = ctx.out('status');
    const trainButton = ctx.el<HTMLButtonElement>('[data-action="train"]');
    const plots = { norm: ctx.el('[data-plot="norm"]'), step: ctx.el('[data-plot="step"]') };
    let plain: Trained | undefined;
    let decayed: Trained | undefined;
    /** The λ of the run in flight, if any; a new λ waits for it, so dragging queues one run, not many. */
    let inFlight: number | null = null;
    let nextId = 0;

    const draw = (): void => {
      if (!plain || !decayed) return;
      const layer = Number(ctx.state.layer) - 1;
      const line = (t: Trained) => (t.weightDecay === 0 ? 'no decay' : `λ = ${t.weightDecay}`);
      const rows = [plain, decayed].flatMap((t) => t.points.filter((p) => p.layer === layer).map((p) => ({ ...p, run: line(t) })));
      const color = { legend: true, domain: [line(plain), line(decayed)], range: ['var(--nobn)', 'var(--bn)'] };
      const eq = equilibriumStep(DECAY_RUN.learningRate, decayed.weightDecay);
      const base = { width: plotWidth(plots.norm), height: 210, marginLeft: 56, style: PLOT_STYLE, x: { label: 'training step', domain: [0, DECAY_RUN.steps] }, color };
      showChart(plots.norm, Plot.plot({ ...base, y: { label: `‖w‖ of layer ${layer + 1}`, grid: true, zero: true }, marks: [Plot.lineY(rows, { x: 'step', y: 'norm', stroke: 'run' })] }));
      showChart(
        plots.step,
        Plot.plot({
          ...base,
          y: { label: '‖Δw‖ / ‖w‖ per step', grid: true, zero: true, domain: [0, eq * 1.1] },
          marks: [
            Plot.ruleY([eq], { stroke: 'currentColor', strokeDasharray: '4,3' }),
            Plot.text([eq], { x: DECAY_RUN.steps, y: (d: number) => d, text: () => '√(2ηλ)', textAnchor: 'end', dy: -6, fill: 'currentColor' }),
            Plot.lineY(rows, { x: 'step', y: 'effectiveStep', stroke: 'run' }),
          ],
        }),
      );
      const last = (t: Trained) => t.points.filter((p) => p.layer === layer).at(-1)!;
      const first = (t: Trained) => t.points.find((p) => p.layer === layer)!;
      plots.norm.setAttribute('aria-label', `Layer ${layer + 1}: ‖w‖ goes from ${formatNumber(first(plain).norm, 3)} to ${formatNumber(last(plain).norm, 3)} without decay and to ${formatNumber(last(decayed).norm, 3)} with λ = ${decayed.weightDecay}.`);
      plots.step.setAttribute('aria-label', `Layer ${layer + 1}: the relative step ends at ${formatNumber(last(plain).effectiveStep, 3)} without decay and ${formatNumber(last(decayed).effectiveStep, 3)} with it; the equilibrium √(2ηλ) is ${formatNumber(eq, 3)}.`);
      ctx.out('norm-plain').value = formatNumber(last(plain).norm, 4);
      ctx.out('norm-decay').value = formatNumber(last(decayed).norm, 4);
      ctx.out('step-plain').value = formatNumber(last(plain).effectiveStep, 3);
      ctx.out('step-decay').value = formatNumber(last(decayed).effectiveStep, 3);
      ctx.out('equilibrium').value = formatNumber(eq, 3);
    };

    const train = (weightDecay: number): void => {
      inFlight = weightDecay;
      nextId += 1;
      worker.send({ type: 'decay-train', baseUrl: location.href, id: nextId, weightDecay });
    };

    const worker = startChapterWorker((m) => {
      switch (m.type) {
        case 'data-progress':
          progress.value = (0.2 * m.loaded) / m.total;
          status.value = `loading MNIST: ${(m.loaded / 1e6).toFixed(1)} of ${(m.total / 1e6).toFixed(1)} MB`;
          break;
        case 'train-progress':
          progress.value = 0.2 + (0.8 * m.step) / m.total;
          status.value = `training ${inFlight === 0 ? 'without decay' : `with λ = ${inFlight}`}: step ${m.step} of ${m.total}`;
          break;
        case 'decay-result':
          inFlight = null;
          if (m.weightDecay === 0) plain = m;
          else decayed = m;
          if (!plain) break;
          if (!decayed || decayed.weightDecay !== ctx.state.decay) {
            train(ctx.state.decay);
            break;
          }
          progress.value = 1;
          status.value = `trained: ${DECAY_RUN.steps} steps without decay and with λ = ${decayed.weightDecay}`;
          root.dataset.trained = String(decayed.weightDecay);
          draw();
          break;
        case 'error':
          status.value = `Training failed: ${m.message}`;
          trainButton.disabled = false;
          break;
      }
    });

    return {
      draw(_state, changes) {
        if (changes.has('decay') && !changes.all && plain && inFlight === null) {
          progress.value = 0.2;
          train(ctx.state.decay);
        } else draw();
      },
      actions: {
        train: () => {
          trainButton.disabled = true;
          status.value = 'starting…';
          train(0);
        },
      },
      resizes: plots.norm,
      dispose: () => worker.terminate(),
    };
  });
