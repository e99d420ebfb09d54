/**
 * The example's output in each batch as a dot per row, and the inference-mode output as a dashed
 * line across them: plain SVG, so this widget, which sits on the chapter's first screen, loads
 * no charting library.
 */
const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const tick = (v: number): string => String(Number(v.toPrecision(3))).replace('-', '−');

export const DOT_ROW = 26;

export function drawDots(container: HTMLElement, train: number[], infer: number, width: number): void {
  const left = 70;
  const right = width - 16;
  const top = 30;
  const height = top + train.length * DOT_ROW + 40;
  const lo = Math.min(infer, ...train);
  const hi = Math.max(infer, ...train);
  const pad = Math.max(0.25, (hi - lo) * 0.15);
  const [d0, d1] = [Math.floor((lo - pad) * 2) / 2, Math.ceil((hi + pad) * 2) / 2];
  const x = (v: number): number => left + ((v - d0) / (d1 - d0)) * (right - left);
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'dot-plot', 'aria-hidden': 'true' });
  const axisY = top + train.length * DOT_ROW;
  const step = (d1 - d0) / 4;
  for (let i = 0; i <= 4; i++) {
    const v = d0 + i * step;
    svg.append(el('line', { x1: x(v), x2: x(v), y1: top - 8, y2: axisY, class: 'grid' }));
    svg.append(el('text', { x: x(v), y: axisY + 16, 'text-anchor': 'middle' }, tick(v)));
  }
  svg.append(el('text', { x: right, y: axisY + 34, 'text-anchor': 'end' }, "the example's output y"));
  const ix = x(infer);
  svg.append(el('line', { x1: ix, x2: ix, y1: top - 8, y2: axisY, class: 'infer' }));
  svg.append(el('text', { x: Math.min(Math.max(ix, left + 60), right - 60), y: top - 14, 'text-anchor': 'middle', class: 'infer-label' }, `inference mode: ${tick(infer)}`));
  train.forEach((v, i) => {
    const y = top + i * DOT_ROW + DOT_ROW / 2;
    svg.append(el('text', { x: left - 10, y: y + 4, 'text-anchor': 'end' }, `batch ${i + 1}`));
    svg.append(el('line', { x1: left, x2: right, y1: y, y2: y, class: 'row' }));
    svg.append(el('circle', { cx: x(v), cy: y, r: 6, class: 'train' }));
  });
  container.replaceChildren(svg);
}
