/**
 * The lab's digit tools (markup in Digits.astro): a gallery of test digits with both networks'
 * predictions, the drawing pad and its four readings, the network diagram with the chosen
 * layer's feature maps, every layer's percentile band over time, and the confusion matrices.
 * It asks the trainer for readings (`inspect`) and draws what comes back.
 */
import { TWIN_NORM_SHORT } from '../../../src/lib/train/config';
import { oneInFlight } from '../../../src/lib/train/core/channel';
import type { DigitPredictions, LabReplies } from '../../../src/lib/train/lab/protocol';
import { plotWidth } from '../../../src/lib/plot/mount';
import { frameScheduler, need } from '../../../src/lib/widget/dom';
import { drawDigit, mountDigitPad } from '../digit-pad';
import { drawConfusion, drawLayerBands } from '../layer-charts';
import { renderDiagram, renderMaps } from '../network-view';
import { liveSettings, type LabState } from '../state';
import type { Panel } from '../panel';

/** Asks the trainer to read a drawn digit (the `inspect` request). */
export type Inspect = (pixels: Float32Array, layer: number) => Promise<LabReplies['inspect']>;

const READINGS = ['normInference', 'plain', 'normBatchOfOne', 'normInBatch'] as const satisfies ReadonlyArray<keyof DigitPredictions>;

const argmax = (p: number[]): number => p.reduce((best, v, i) => (v > p[best]! ? i : best), 0);

export function digitsPanel(region: HTMLElement, inspect: Inspect): Panel {
  const $ = <T extends Element>(sel: string) => need<T>(region, sel);
  const gallery = $<HTMLUListElement>('[data-gallery]');
  const diagram = $<HTMLOListElement>('[data-net-diagram]');
  const mapsBox = $<HTMLElement>('[data-feature-maps]');
  const bands = $<HTMLElement>('[data-layer-bands]');
  const confusion = $<HTMLElement>('[data-confusion]');
  const readingsNote = $<HTMLElement>('[data-readings-note]');
  /** The lab's state as last rendered; the layer whose maps are shown; whether this run's trainer is ready. */
  let state: LabState | undefined;
  let layer = 0;
  let ready = false;
  const config = () => liveSettings(state!).config;
  const width = (): number => plotWidth(region, { min: 280, max: 960 });

  const normName = (): string => TWIN_NORM_SHORT[config().norm];
  const labelReadings = (): void => {
    const n = normName();
    const text: Record<(typeof READINGS)[number], string> = {
      normInference: `${n} network, inference mode`,
      plain: 'plain network',
      normBatchOfOne: `${n} network, training mode on a batch of one`,
      normInBatch: `${n} network, training mode in a batch of 31 test digits and yours`,
    };
    for (const key of READINGS) $(`[data-reading-label="${key}"]`).textContent = text[key];
  };

  /** Reads the digit in the pad, one request at a time; a change meanwhile asks once more after it. */
  const ask = oneInFlight(async () => {
    const input = pad.input();
    if (!input || !ready) return;
    const { predictions, maps } = await inspect(input, layer);
    // Cleared meanwhile: the empty readings stay.
    if (!pad.input()) return;
    showReadings(predictions);
    renderMaps(mapsBox, maps, config());
  });

  const showEmptyReadings = (): void => {
    for (const key of READINGS) {
      $(`[data-reading-out="${key}"]`).textContent = '—';
      $(`[data-bars="${key}"]`).replaceChildren();
    }
    readingsNote.textContent = 'Draw or pick a digit: the predictions appear here.';
    mapsBox.replaceChildren(Object.assign(document.createElement('p'), { className: 'chart-empty', textContent: "Draw or pick a digit to see the chosen layer's feature maps." }));
    region.dataset.prediction = '';
  };

  const showReadings = (p: DigitPredictions): void => {
    for (const key of READINGS) {
      const probs = p[key];
      const best = argmax(probs);
      const second = argmax(probs.map((v, i) => (i === best ? -1 : v)));
      $(`[data-reading-out="${key}"]`).textContent = `${best} (${Math.round(probs[best]! * 100)}%; next ${second}, ${Math.round(probs[second]! * 100)}%)`;
      const bars = $(`[data-bars="${key}"]`);
      bars.replaceChildren(
        ...probs.map((v, digit) => {
          const bar = document.createElement('span');
          bar.className = digit === best ? 'bar best' : 'bar';
          const fill = document.createElement('span');
          fill.className = 'fill';
          fill.style.height = `${Math.max(1, v * 100)}%`;
          const label = Object.assign(document.createElement('span'), { className: 'digit', textContent: String(digit) });
          bar.append(fill, label);
          return bar;
        }),
      );
    }
    readingsNote.textContent = `Read by the networks at step ${state!.curves.metrics.at(-1)?.step ?? 0}.`;
    region.dataset.prediction = String(argmax(p.normInference));
  };

  const pad = mountDigitPad($<HTMLCanvasElement>('[data-pad]'), $<HTMLCanvasElement>('[data-pad-input]'), (input) => {
    if (input) ask();
    else showEmptyReadings();
  });

  const galleryLabel = (i: number): string => {
    const { digits, gallery: predictions } = state!;
    const truth = digits!.labels[i]!;
    const n = normName();
    const norm = predictions.norm?.[i];
    const plain = predictions.plain?.[i];
    if (norm === undefined && plain === undefined) return `test digit ${truth}: not evaluated yet`;
    const say = (name: string, p: number | undefined) => (p === undefined ? `${name} has no prediction` : `${name} predicts ${p}`);
    return `test digit ${truth}: ${say(n, norm)}, ${say('plain', plain)}`;
  };

  const renderGallery = (): void => {
    const { digits, gallery: predictions } = state!;
    if (!digits) return;
    const n = normName();
    gallery.replaceChildren(
      ...digits.labels.map((truth, i) => {
        const li = document.createElement('li');
        const b = Object.assign(document.createElement('button'), { type: 'button', className: 'gallery-digit' });
        b.dataset.digit = String(truth);
        b.dataset.galleryIndex = String(i);
        b.setAttribute('aria-label', galleryLabel(i));
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 28;
        canvas.setAttribute('aria-hidden', 'true');
        drawDigit(canvas, digits!.pixels.subarray(i * 784, (i + 1) * 784));
        const caption = document.createElement('span');
        caption.className = 'gallery-caption';
        caption.setAttribute('aria-hidden', 'true');
        const norm = predictions.norm?.[i];
        const plain = predictions.plain?.[i];
        const mark = (p: number | undefined) => (p === undefined ? '·' : p === truth ? String(p) : `${p}✗`);
        caption.append(`${n} ${mark(norm)}`, document.createElement('br'), `plain ${mark(plain)}`);
        if ((norm !== undefined && norm !== truth) || (plain !== undefined && plain !== truth)) li.classList.add('wrong');
        b.append(canvas, caption);
        li.append(b);
        return li;
      }),
    );
  };

  const onClick = (event: Event): void => {
    const target = event.target as HTMLElement;
    const galleryButton = target.closest<HTMLButtonElement>('button[data-gallery-index]');
    const digits = state?.digits;
    if (galleryButton && digits) {
      const i = Number(galleryButton.dataset.galleryIndex);
      pad.place(digits.pixels.subarray(i * 784, (i + 1) * 784));
      return;
    }
    if (target.closest('[data-digit-action="clear"]')) {
      pad.clear();
      return;
    }
    const layerButton = target.closest<HTMLButtonElement>('button[data-layer]');
    if (layerButton) {
      layer = Number(layerButton.dataset.layer);
      renderDiagram(diagram, config(), layer);
      diagram.querySelector<HTMLElement>(`button[data-layer="${layer}"]${layerButton.classList.contains('net-norm') ? '.net-norm' : '.net-layer'}`)?.focus();
      ask();
    }
  };
  region.addEventListener('click', onClick);

  const bandsFrame = frameScheduler(() => drawLayerBands(bands, state!.curves, config().steps, width()));
  const resize = new ResizeObserver(() => bandsFrame.schedule());
  resize.observe(bands);

  return {
    render(s, prev) {
      state = s;
      if (s.runKey !== prev?.runKey) ready = false;
      if (s.digits && s.digits !== prev?.digits) {
        // The trainer is ready for this run.
        ready = true;
        labelReadings();
        renderDiagram(diagram, config(), layer);
      }
      if (s.gallery !== prev?.gallery || s.digits !== prev?.digits) renderGallery();
      if (s.confusion !== prev?.confusion) drawConfusion(confusion, s.confusion ?? {}, width());
      // The per-layer bands get a frame of their own, after the live charts'.
      if (s.curves.metrics !== prev?.curves.metrics || s.runKey !== prev?.runKey) bandsFrame.schedule();
      // The networks have moved on (an evaluation, a pause, a new trainer): read the digit in the pad again.
      const idle = s.phase !== 'training' && s.phase !== prev?.phase;
      if (ready && (s.digits !== prev?.digits || s.curves.evals !== prev?.curves.evals || idle)) ask();
    },
    dispose() {
      bandsFrame.cancel();
      resize.disconnect();
      region.removeEventListener('click', onClick);
      pad.dispose();
    },
  };
}
