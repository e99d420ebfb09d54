/**
 * The lab's digit tools (markup in Digits.astro): a gallery of test digits with both networks'
 * predictions, the drawing pad and its four readings, the network diagram with the chosen
 * layer's feature maps, every layer's percentile band over time, and the confusion matrices.
 * It asks the trainer for readings (`inspect`) and draws what comes back.
 */
import { TWIN_NORM_SHORT, type RunConfig } from '../../src/lib/train/config';
import type { DigitPredictions, FromWorker, GalleryDigits, PerRun, ToWorker } from '../../src/lib/train/protocol';
import { need } from '../../src/lib/widget/dom';
import type { History } from './charts';
import { drawDigit, mountDigitPad } from './digit-pad';
import { drawConfusion, drawLayerBands } from './layer-charts';
import { renderDiagram, renderMaps } from './network-view';

export interface DigitsHost {
  region: HTMLElement;
  /** The settings of the networks on screen. */
  config(): RunConfig;
  history(): History;
  send(msg: ToWorker): void;
  width(): number;
}

export interface DigitsController {
  hear(m: FromWorker): void;
  /** The history changed (new metrics): redraw the per-layer bands. */
  redrawBands(): void;
  /** A new run: forget its predictions and matrices. */
  reset(): void;
  dispose(): void;
}

const READINGS = ['normInference', 'plain', 'normBatchOfOne', 'normInBatch'] as const satisfies ReadonlyArray<keyof DigitPredictions>;

const argmax = (p: number[]): number => p.reduce((best, v, i) => (v > p[best]! ? i : best), 0);

export function mountDigits(host: DigitsHost): DigitsController {
  const $ = <T extends Element>(sel: string) => need<T>(host.region, sel);
  const gallery = $<HTMLUListElement>('[data-gallery]');
  const diagram = $<HTMLOListElement>('[data-net-diagram]');
  const mapsBox = $<HTMLElement>('[data-feature-maps]');
  const bands = $<HTMLElement>('[data-layer-bands]');
  const confusion = $<HTMLElement>('[data-confusion]');
  const readingsNote = $<HTMLElement>('[data-readings-note]');
  let digits: GalleryDigits | undefined;
  let predictions: PerRun<number[]> = {};
  let layer = 0;
  /** The latest inspect request, and whether the input changed while it was out. */
  let asked = 0;
  let inFlight = false;
  let again = false;
  let ready = false;

  const normName = (): string => TWIN_NORM_SHORT[host.config().norm];
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

  const ask = (): void => {
    const input = pad.input();
    if (!input || !ready) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    asked += 1;
    host.send({ type: 'inspect', id: asked, pixels: input, layer });
  };

  const showEmptyReadings = (): void => {
    for (const key of READINGS) {
      $(`[data-reading-out="${key}"]`).textContent = '—';
      $(`[data-bars="${key}"]`).replaceChildren();
    }
    readingsNote.textContent = 'Draw or pick a digit: the predictions appear here.';
    mapsBox.replaceChildren(Object.assign(document.createElement('p'), { className: 'chart-empty', textContent: "Draw or pick a digit to see the chosen layer's feature maps." }));
    host.region.dataset.prediction = '';
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
    readingsNote.textContent = `Read by the networks at step ${host.history().metrics.at(-1)?.step ?? 0}.`;
    host.region.dataset.prediction = String(argmax(p.normInference));
  };

  const pad = mountDigitPad($<HTMLCanvasElement>('[data-pad]'), $<HTMLCanvasElement>('[data-pad-input]'), (input) => {
    if (input) ask();
    else showEmptyReadings();
  });

  const galleryLabel = (i: number): string => {
    const truth = digits!.labels[i]!;
    const n = normName();
    const norm = predictions.norm?.[i];
    const plain = predictions.plain?.[i];
    if (norm === undefined && plain === undefined) return `test digit ${truth}: not evaluated yet`;
    const say = (name: string, p: number | undefined) => (p === undefined ? `${name} has no prediction` : `${name} predicts ${p}`);
    return `test digit ${truth}: ${say(n, norm)}, ${say('plain', plain)}`;
  };

  const renderGallery = (): void => {
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
      renderDiagram(diagram, host.config(), layer);
      diagram.querySelector<HTMLElement>(`button[data-layer="${layer}"]${layerButton.classList.contains('net-norm') ? '.net-norm' : '.net-layer'}`)?.focus();
      ask();
    }
  };
  host.region.addEventListener('click', onClick);

  const redrawBands = (): void => drawLayerBands(bands, host.history(), host.config().steps, host.width());

  return {
    hear(m) {
      switch (m.type) {
        case 'ready':
          digits = m.digits;
          predictions = m.gallery;
          ready = true;
          labelReadings();
          renderDiagram(diagram, host.config(), layer);
          renderGallery();
          redrawBands();
          ask();
          break;
        case 'eval': {
          const gallery = Object.fromEntries(Object.entries(m.results).flatMap(([name, r]) => (r?.gallery ? [[name, r.gallery]] : [])));
          if (Object.keys(gallery).length) {
            predictions = gallery;
            renderGallery();
          }
          if (m.final) {
            const matrices = Object.fromEntries(Object.entries(m.results).flatMap(([name, r]) => (r?.confusion ? [[name, r.confusion]] : [])));
            drawConfusion(confusion, matrices, host.width());
          }
          // The networks have moved on: read the digit in the pad again.
          ask();
          break;
        }
        case 'state':
          if (m.state !== 'training') ask();
          break;
        case 'inspection':
          inFlight = false;
          if (m.id === asked && pad.input()) {
            showReadings(m.predictions);
            renderMaps(mapsBox, m.maps, host.config());
          }
          if (again) {
            again = false;
            ask();
          }
          break;
        case 'error':
          // An inspect that failed must not block the next one.
          inFlight = false;
          break;
      }
    },
    redrawBands,
    reset() {
      ready = false;
      inFlight = false;
      again = false;
      predictions = {};
      renderGallery();
      drawConfusion(confusion, {}, host.width());
      redrawBands();
    },
    dispose() {
      host.region.removeEventListener('click', onClick);
      pad.dispose();
    },
  };
}
