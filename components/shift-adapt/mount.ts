import * as Plot from '@observablehq/plot';
import { PLOT_STYLE, plotWidth, showChart } from '../../src/lib/plot/mount';
import { panels } from '../../src/lib/plot/panels';
import type { PreciseCheckpoint } from '../../src/lib/train/chapter/adaptation';
import { ADAPTATION_RUN, PREVIEW_DIGITS } from '../../src/lib/train/chapter/runs';
import { startChapterWorker } from '../../src/lib/train/chapter/client';
import type { ChapterReply } from '../../src/lib/train/chapter/protocol';
import { formatNumber, formatPercent } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { renderTable } from '../../src/lib/widget/table';
import { openRunStore } from '../../src/lib/runs/store';
import { networksStep, type SavedRun } from '../../src/lib/runs/types';
import { schema } from './schema';

type ShiftReply = Extract<ChapterReply, { type: 'shift-result' }>;

const PRECISE_LINES = ["Keras's running averages (m = 0.99)", "PyTorch's running averages (m = 0.1)", 'precise BN (500 training digits)'];

/** The reader's newest saved lab run whose normalized twin is a BN CNN with its networks stored. */
async function savedBnCnn(): Promise<SavedRun | undefined> {
  const store = await openRunStore();
  if (!store.ok) return undefined;
  try {
    const runs = await store.value.list();
    return runs.ok ? runs.value.find((r) => r.config.preset === 'cnn' && r.config.norm === 'bn' && r.models.norm) : undefined;
  } finally {
    store.value.close();
  }
}

/** Draws 28×28 grey images (0..1, clipped) into small canvases. */
function drawDigits(container: HTMLElement, pixels: number[]): void {
  const canvases = Array.from({ length: PREVIEW_DIGITS }, (_, k) => {
    const canvas = document.createElement('canvas');
    canvas.width = 28;
    canvas.height = 28;
    const ctx = canvas.getContext('2d')!;
    const image = ctx.createImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      const v = Math.round(255 * Math.min(1, Math.max(0, pixels[k * 784 + p] ?? 0)));
      image.data.set([v, v, v, 255], p * 4);
    }
    ctx.putImageData(image, 0, 0);
    return canvas;
  });
  container.replaceChildren(...canvases);
}

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, (ctx) => {
    const progress = ctx.el<HTMLProgressElement>('[data-progress]');
    const status = ctx.out('status');
    const trainButton = ctx.el<HTMLButtonElement>('[data-action="train"]');
    const savedButton = ctx.el<HTMLButtonElement>('[data-action="use-saved"]');
    const savedNote = ctx.el('[data-lab-network]');
    let saved: SavedRun | undefined;
    /** The lab run whose network is being tested; none while it is the chapter's own. */
    let labRun: SavedRun | undefined;
    const source = (): string => (labRun ? `your lab network (step ${networksStep(labRun)})` : `trained (${ADAPTATION_RUN.steps} steps)`);
    const plots = { channels: ctx.el('[data-plot="channels"]'), precise: ctx.el('[data-plot="precise"]') };
    const checkpoints: PreciseCheckpoint[] = [];
    let trained = false;
    let requested = 0;
    let last: ShiftReply | undefined;

    const drawChannels = (r: ShiftReply): void => {
      const rows = r.before.mean.flatMap((_, c) => [
        { channel: c + 1, stat: 'mean', value: r.before.mean[c]!, source: 'stored' },
        { channel: c + 1, stat: 'mean', value: r.after.mean[c]!, source: 're-estimated' },
        { channel: c + 1, stat: 'standard deviation', value: Math.sqrt(r.before.variance[c]!), source: 'stored' },
        { channel: c + 1, stat: 'standard deviation', value: Math.sqrt(r.after.variance[c]!), source: 're-estimated' },
      ]);
      const layout = panels(plotWidth(plots.channels), 'stat', ['mean', 'standard deviation'], 230);
      showChart(
        plots.channels,
        Plot.plot({
          width: plotWidth(plots.channels),
          ...layout.options,
          marginLeft: 50,
          style: PLOT_STYLE,
          x: { label: 'channel of the first BN layer', tickFormat: (d: number) => String(d) },
          y: { grid: true, label: null },
          color: { legend: true, domain: ['stored', 're-estimated'], range: ['var(--nobn)', 'var(--bn)'] },
          marks: [Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.3 }), Plot.dot(rows, { x: 'channel', y: 'value', stroke: 'source', fill: 'source', symbol: 'source', r: 4, ...layout.facet }), ...layout.labels],
        }),
      );
      const shiftMean = r.after.mean.map((m, c) => m - r.before.mean[c]!);
      plots.channels.setAttribute(
        'aria-label',
        `First BN layer, 8 channels: the re-estimated means differ from the stored ones by ${formatNumber(Math.min(...shiftMean), 3)} to ${formatNumber(Math.max(...shiftMean), 3)}.`,
      );
    };

    const drawPrecise = (): void => {
      const rows = checkpoints.flatMap((c) => [
        { step: c.step, accuracy: c.keras, line: PRECISE_LINES[0]! },
        { step: c.step, accuracy: c.pytorch, line: PRECISE_LINES[1]! },
        { step: c.step, accuracy: c.precise, line: PRECISE_LINES[2]! },
      ]);
      showChart(
        plots.precise,
        Plot.plot({
          width: plotWidth(plots.precise),
          height: 240,
          marginLeft: 50,
          style: PLOT_STYLE,
          x: { label: 'training step', domain: [0, ADAPTATION_RUN.steps] },
          y: { label: 'test accuracy', grid: true, tickFormat: (v: number) => `${Math.round(v * 100)}%` },
          color: { legend: true, domain: PRECISE_LINES, range: ['var(--nobn)', 'currentColor', 'var(--bn)'] },
          marks: [Plot.lineY(rows, { x: 'step', y: 'accuracy', stroke: 'line' }), Plot.dot(rows, { x: 'step', y: 'accuracy', fill: 'line', r: 3 })],
        }),
      );
      const gains = checkpoints.map((c) => c.precise - c.keras);
      const best = checkpoints[gains.indexOf(Math.max(...gains))];
      plots.precise.setAttribute(
        'aria-label',
        best ? `Test accuracy during training; precise BN beats Keras's running averages by up to ${formatNumber(100 * (best.precise - best.keras), 3)} points (step ${best.step}).` : 'Test accuracy during training: no checkpoint yet.',
      );
      ctx.out('precise-gain').value = best ? `${(100 * (best.precise - best.keras)).toFixed(1)} points at step ${best.step}` : '—';
      ctx.out('precise-mean').value = checkpoints.length ? `${((100 * gains.reduce((a, b) => a + b, 0)) / gains.length).toFixed(1)} points` : '—';
      renderTable(
        ctx.el('[data-table]'),
        `Test accuracy on ${ADAPTATION_RUN.testExamples} digits with each set of statistics, same weights`,
        ['step', 'Keras m = 0.99', 'PyTorch m = 0.1', 'precise BN'],
        checkpoints.map((c) => ({ head: String(c.step), data: { step: String(c.step) }, cells: [formatPercent(c.keras), formatPercent(c.pytorch), formatPercent(c.precise)] })),
      );
    };

    const requestShift = (): void => {
      if (!trained) return;
      requested += 1;
      worker.send({ type: 'shift', id: requested, kind: ctx.state.shift, strength: ctx.state.strength, seed: 7 });
      status.value = 'evaluating the shifted digits…';
    };

    const worker = startChapterWorker((m) => {
      switch (m.type) {
        case 'data-progress':
          progress.value = (0.3 * m.loaded) / m.total;
          status.value = `loading MNIST: ${(m.loaded / 1e6).toFixed(1)} of ${(m.total / 1e6).toFixed(1)} MB`;
          break;
        case 'train-progress':
          progress.value = 0.3 + (0.7 * m.step) / m.total;
          status.value = `training: step ${m.step} of ${m.total}`;
          break;
        case 'checkpoint':
          checkpoints.push(m.checkpoint);
          drawPrecise();
          break;
        case 'adapt-ready':
          trained = true;
          trainButton.disabled = false;
          savedButton.disabled = false;
          progress.value = 1;
          root.dataset.trained = 'true';
          requestShift();
          break;
        case 'shift-result':
          // Only the answer to the latest request is drawn; older ones are stale settings.
          if (m.id !== requested) break;
          last = m;
          status.value = `${source()}; ${ctx.state.shift} at strength ${ctx.state.strength}`;
          ctx.out('stored').value = formatPercent(m.stored);
          ctx.out('reestimated').value = formatPercent(m.reestimated);
          drawDigits(ctx.el('[data-digits]'), m.preview);
          drawChannels(m);
          root.dataset.result = String(m.id);
          break;
        case 'error':
          status.value = `${labRun ? 'Loading your lab network' : 'Training'} failed: ${m.message}`;
          trainButton.disabled = false;
          savedButton.disabled = false;
          break;
      }
    });

    // A reader who trained a BN CNN in the lab can test that network instead; storage that is
    // unavailable simply leaves the offer out.
    void savedBnCnn().then((run) => {
      if (!run) return;
      saved = run;
      const accuracy = run.accuracy.norm === undefined ? '' : `, BN test accuracy ${formatPercent(run.accuracy.norm)}`;
      savedNote.textContent = `You have a BN CNN from the lab (run of ${new Date(run.date).toLocaleString()}, step ${networksStep(run)}${accuracy}): "Use my lab network" tests it here instead. Precise BN below needs the chapter's own training run.`;
      savedNote.hidden = false;
      savedButton.hidden = false;
    });

    return {
      draw(_state, changes) {
        if (changes.all) {
          if (last) drawChannels(last);
          if (checkpoints.length) drawPrecise();
        } else if (changes.has('shift') || changes.has('strength')) requestShift();
      },
      actions: {
        train: () => {
          trainButton.disabled = true;
          savedButton.disabled = true;
          checkpoints.length = 0;
          labRun = undefined;
          root.dataset.source = 'chapter';
          status.value = 'starting…';
          worker.send({ type: 'adapt-train', baseUrl: location.href });
        },
        'use-saved': () => {
          if (!saved?.models.norm) return;
          trainButton.disabled = true;
          savedButton.disabled = true;
          labRun = saved;
          root.dataset.source = 'lab';
          status.value = 'loading your lab network…';
          worker.send({ type: 'adapt-load', baseUrl: location.href, network: saved.models.norm });
        },
      },
      resizes: plots.channels,
      dispose: () => worker.terminate(),
    };
  });
