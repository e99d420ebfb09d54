/**
 * "Inside the network": a diagram of the current network whose hidden layers are buttons, and
 * the chosen layer's feature maps for the digit in the pad — going into and out of BN for the
 * normalized twin, the same layer's output for the plain one.
 */
import { CNN_CHANNELS, MLP_UNITS, TWIN_NORM_SHORT, type RunConfig } from '../../src/lib/train/config';
import type { FeatureMaps, LayerMap } from '../../src/lib/train/lab/protocol';

/** The diagram's boxes in order; `layer` marks the ones a reader can pick. */
function diagramParts(config: RunConfig): Array<{ text: string; layer?: number; norm?: boolean }> {
  const norm = config.norm === 'unused-bn' ? null : TWIN_NORM_SHORT[config.norm];
  const act = config.preset === 'cnn' ? 'ReLU' : 'sigmoid';
  const parts: Array<{ text: string; layer?: number; norm?: boolean }> = [{ text: 'input 28×28' }];
  const hidden = config.preset === 'cnn' ? CNN_CHANNELS.map((c) => `conv 3×3, ${c}`) : MLP_UNITS.map((u) => `dense ${u}`);
  hidden.forEach((text, layer) => {
    parts.push({ text, layer });
    const n = norm ? { text: norm, layer, norm: true } : undefined;
    if (n && config.placement === 'before') parts.push(n);
    parts.push({ text: act });
    if (n && config.placement === 'after') parts.push(n);
    if (config.preset === 'cnn') parts.push({ text: 'max-pool 2×2' });
  });
  parts.push({ text: 'dense 10 → softmax' });
  return parts;
}

/** Draws the diagram; the chosen layer's buttons are pressed. */
export function renderDiagram(list: HTMLElement, config: RunConfig, chosen: number): void {
  list.replaceChildren(
    ...diagramParts(config).map((part) => {
      const li = document.createElement('li');
      if (part.layer === undefined) {
        li.textContent = part.text;
        return li;
      }
      const b = Object.assign(document.createElement('button'), { type: 'button', textContent: part.text, className: part.norm ? 'net-norm' : 'net-layer' });
      b.dataset.layer = String(part.layer);
      b.setAttribute('aria-pressed', String(part.layer === chosen));
      b.setAttribute('aria-label', `${part.text}: show layer ${part.layer + 1}'s feature maps`);
      li.append(b);
      if (part.norm) li.classList.add('is-norm');
      return li;
    }),
  );
}

/**
 * One row of maps, every channel side by side on one canvas, one pixel per activation (CSS
 * scales it up, pixelated). Diverging colours: orange above zero, blue below, each row scaled
 * by its own largest |value| so BN's effect on the scale is stated in the row's caption.
 */
function drawRow(canvas: HTMLCanvasElement, map: LayerMap, values: Float32Array): number {
  const { height, width, channels } = map;
  const cols = Math.min(channels, 16);
  const rows = Math.ceil(channels / cols);
  canvas.width = cols * (width + 1) - 1;
  canvas.height = rows * (height + 1) - 1;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(canvas.width, canvas.height);
  const max = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
  for (let c = 0; c < channels; c++) {
    const ox = (c % cols) * (width + 1);
    const oy = Math.floor(c / cols) * (height + 1);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const v = values[(y * width + x) * channels + c]! / max;
        const at = ((oy + y) * canvas.width + ox + x) * 4;
        // Orange (230, 120, 20) for positive, blue (30, 100, 220) for negative, alpha = |v|.
        image.data.set(v >= 0 ? [230, 120, 20, Math.round(v * 255)] : [30, 100, 220, Math.round(-v * 255)], at);
      }
    }
  }
  ctx.putImageData(image, 0, 0);
  return max;
}

const range = (values: Float32Array): string => {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return `${lo.toFixed(2)} to ${hi.toFixed(2)}`;
};

/** The maps of the chosen layer: three rows (normalized twin before and after, plain twin). */
export function renderMaps(target: HTMLElement, maps: FeatureMaps, config: RunConfig): void {
  const norm = TWIN_NORM_SHORT[config.norm];
  const what = config.preset === 'cnn' ? (config.placement === 'before' ? 'conv output' : 'after ReLU') : config.placement === 'before' ? 'linear output' : 'after sigmoid';
  const rows: Array<{ title: string; map: LayerMap; values: Float32Array }> = [
    { title: `${norm} network, ${what} (into ${norm})`, map: maps.norm, values: maps.norm.before },
    ...(maps.norm.after ? [{ title: `${norm} network, out of ${norm} (inference mode)`, map: maps.norm, values: maps.norm.after }] : []),
    { title: `plain network, ${what} (no normalization)`, map: maps.plain, values: maps.plain.before },
  ];
  target.replaceChildren(
    ...rows.map(({ title, map, values }) => {
      const figure = document.createElement('figure');
      const canvas = document.createElement('canvas');
      const shape = map.channels > 1 ? `${map.channels} channels of ${map.height}×${map.width}` : `${map.width} units`;
      const caption = document.createElement('figcaption');
      canvas.setAttribute('role', 'img');
      drawRow(canvas, map, values);
      canvas.setAttribute('aria-label', `${title}, layer ${maps.layer + 1}: ${shape}, values ${range(values)}`);
      caption.textContent = `${title}: values ${range(values)}`;
      figure.append(caption, canvas);
      return figure;
    }),
  );
}
