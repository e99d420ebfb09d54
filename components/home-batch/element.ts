import { normalizeBatch } from './normalize';

const SVG = 'http://www.w3.org/2000/svg';
const X_RANGE = 10; // the input axis: −10 … 10
const XHAT_RANGE = 3; // the normalized axis: −3 … 3
const EPS = 1e-5;
const HEIGHT = 190;
const ROW = { x: 52, xHat: 142 } as const;

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const fmt = (v: number): string => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2)).replace('-', '−');

class HomeBatch extends HTMLElement {
  #values: number[] = [];
  #width = 0;
  #svg: SVGSVGElement | undefined;
  #dots: SVGCircleElement[] = [];
  #hats: SVGCircleElement[] = [];
  #links: SVGLineElement[] = [];
  #mean: SVGGElement | undefined;
  #observer: ResizeObserver | undefined;

  connectedCallback(): void {
    this.#values = JSON.parse(this.dataset.values ?? '[]') as number[];
    const host = this.querySelector<HTMLElement>('[data-plot]')!;
    this.#observer = new ResizeObserver(() => {
      const width = Math.round(host.clientWidth);
      if (width > 0 && width !== this.#width) this.#build(host, width);
    });
    this.#observer.observe(host);
  }

  disconnectedCallback(): void {
    this.#observer?.disconnect();
  }

  #sx = (v: number): number => 24 + ((v + X_RANGE) / (2 * X_RANGE)) * (this.#width - 48);
  #sxHat = (v: number): number => 24 + ((v + XHAT_RANGE) / (2 * XHAT_RANGE)) * (this.#width - 48);
  #invert = (px: number): number => ((px - 24) / (this.#width - 48)) * 2 * X_RANGE - X_RANGE;

  #build(host: HTMLElement, width: number): void {
    this.#width = width;
    const svg = el('svg', { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'group', 'aria-label': 'The batch before and after normalization' });
    const axis = (y: number, range: number, step: number, scale: (v: number) => number, label: string) => {
      const g = el('g', { class: 'axis', 'aria-hidden': 'true' });
      g.append(el('line', { x1: scale(-range), x2: scale(range), y1: y, y2: y }));
      for (let v = -range; v <= range + 1e-9; v += step) {
        g.append(el('line', { x1: scale(v), x2: scale(v), y1: y, y2: y + 5 }));
        g.append(el('text', { x: scale(v), y: y + 19, 'text-anchor': 'middle' }, String(v).replace('-', '−')));
      }
      g.append(el('text', { x: scale(range), y: y + 36, 'text-anchor': 'end', class: 'axis-label' }, label));
      svg.append(g);
    };
    axis(ROW.x, X_RANGE, width < 480 ? 5 : 2.5, this.#sx, 'activation x');
    axis(ROW.xHat, XHAT_RANGE, 1, this.#sxHat, 'normalized x̂');
    this.#mean = el('g', { class: 'mean-marker', 'aria-hidden': 'true' });
    svg.append(this.#mean);
    this.#links = this.#values.map(() => {
      const line = el('line', { class: 'link', y1: ROW.x, y2: ROW.xHat, 'aria-hidden': 'true' });
      svg.append(line);
      return line;
    });
    this.#hats = this.#values.map(() => {
      const c = el('circle', { class: 'hat', cy: ROW.xHat, r: 7, 'aria-hidden': 'true' });
      svg.append(c);
      return c;
    });
    this.#dots = this.#values.map((_, i) => {
      const c = el('circle', { class: 'handle', cy: ROW.x, r: 10, tabindex: 0, role: 'slider', 'aria-valuemin': -X_RANGE, 'aria-valuemax': X_RANGE, 'aria-label': `activation ${i + 1}` });
      c.addEventListener('pointerdown', (e) => this.#drag(e, i));
      c.addEventListener('keydown', (e) => this.#key(e, i));
      svg.append(c);
      return c;
    });
    host.replaceChildren(svg);
    this.#svg = svg;
    this.#update();
  }

  #set(i: number, v: number): void {
    this.#values[i] = Math.max(-X_RANGE, Math.min(X_RANGE, Math.round(v * 10) / 10));
    this.#update();
  }

  #drag(e: PointerEvent, i: number): void {
    const dot = this.#dots[i]!;
    dot.setPointerCapture(e.pointerId);
    e.preventDefault();
    const move = (m: PointerEvent) => {
      const box = this.#svg!.getBoundingClientRect();
      this.#set(i, this.#invert(m.clientX - box.left));
    };
    const up = () => {
      dot.removeEventListener('pointermove', move);
      dot.removeEventListener('pointerup', up);
      dot.removeEventListener('pointercancel', up);
    };
    dot.addEventListener('pointermove', move);
    dot.addEventListener('pointerup', up);
    dot.addEventListener('pointercancel', up);
  }

  #key(e: KeyboardEvent, i: number): void {
    const step = e.shiftKey ? 1 : 0.1;
    const moves: Record<string, number> = { ArrowLeft: -step, ArrowDown: -step, ArrowRight: step, ArrowUp: step };
    if (e.key in moves) {
      e.preventDefault();
      this.#set(i, this.#values[i]! + moves[e.key]!);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      this.#set(i, e.key === 'Home' ? -X_RANGE : X_RANGE);
    }
  }

  #update(): void {
    const { mean, variance, xHat } = normalizeBatch(this.#values, EPS);
    const std = Math.sqrt(variance);
    this.#values.forEach((v, i) => {
      const dot = this.#dots[i]!;
      dot.setAttribute('cx', String(this.#sx(v)));
      dot.setAttribute('aria-valuenow', String(v));
      dot.setAttribute('aria-valuetext', `${fmt(v)}, normalized ${fmt(xHat[i]!)}`);
      // x̂ beyond the axis sits at its end (it cannot pass √(m−1) ≈ 2.6 for eight values anyway).
      const h = Math.max(-XHAT_RANGE, Math.min(XHAT_RANGE, xHat[i]!));
      this.#hats[i]!.setAttribute('cx', String(this.#sxHat(h)));
      this.#links[i]!.setAttribute('x1', String(this.#sx(v)));
      this.#links[i]!.setAttribute('x2', String(this.#sxHat(h)));
    });
    const marker = this.#mean!;
    const lo = this.#sx(Math.max(-X_RANGE, mean - std));
    const hi = this.#sx(Math.min(X_RANGE, mean + std));
    const y = ROW.x - 20;
    marker.replaceChildren(
      el('line', { x1: lo, x2: hi, y1: y, y2: y, class: 'spread' }),
      el('line', { x1: lo, x2: lo, y1: y - 4, y2: y + 4, class: 'spread' }),
      el('line', { x1: hi, x2: hi, y1: y - 4, y2: y + 4, class: 'spread' }),
      el('path', { d: `M${this.#sx(mean)},${y + 7} l-5,-8 h10 z`, class: 'mean' }),
    );
    this.querySelector('[data-out="mean"]')!.textContent = fmt(mean);
    this.querySelector('[data-out="std"]')!.textContent = fmt(std);
  }
}

export function defineHomeBatch(): void {
  if (!customElements.get('bn-home-batch')) customElements.define('bn-home-batch', HomeBatch);
}
