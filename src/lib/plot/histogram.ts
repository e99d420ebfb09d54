import * as Plot from '@observablehq/plot';
import { meanAndStd } from '../widget/summary';
import { MARGIN_FOR_X_LABEL, PLOT_STYLE, X_LABEL_BELOW, plainTick, showChart } from './mount';

export interface HistogramSpec {
  /** Fixed x domain, so axes stay put while a slider moves. */
  domain: [number, number];
  /**
   * Where the bins lie, inside the domain; the domain when absent. Several histograms can share one
   * axis and still each get all their bins across their own values: a batch a tenth as wide as the
   * axis is drawn as narrow bars, not as one.
   */
  binRange?: [number, number];
  bins: number;
  label: string;
  color: string;
  width: number;
  height?: number;
}

/** Counts per equal-width bin over the domain (the last bin includes its upper edge), and the values outside it. */
export function binCounts(values: ArrayLike<number>, [lo, hi]: [number, number], bins: number): { counts: Uint32Array; offAxis: number } {
  const counts = new Uint32Array(bins);
  const scale = bins / (hi - lo);
  let offAxis = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= lo && v <= hi)) {
      offAxis++;
      continue;
    }
    counts[Math.min(bins - 1, Math.floor((v - lo) * scale))]!++;
  }
  return { counts, offAxis };
}

/** The smallest of 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, … that is at least n: a round top for the count axis. */
export function countCeiling(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 3, 4, 5, 6, 8]) if (step * power >= n) return step * power;
  return 10 * power;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

interface Frame {
  key: string;
  ceiling: number;
  bars: SVGRectElement[];
  markers: SVGLineElement[];
  x: (v: number) => number;
  y: (v: number) => number;
}

/**
 * A histogram with the mean (solid) and mean ± one standard deviation (dashed) marked, drawn into
 * one container and redrawn as often as a slider moves. Observable Plot draws the frame (axes,
 * grid, labels) and supplies the scales; the bars and markers are positioned with those scales
 * and only their attributes change between frames. A full Plot render per slider step cost about
 * 5 ms per panel; the frame is re-rendered only when its width, domain, label or count axis must
 * change. Values outside the domain are counted instead of silently vanishing.
 */
export class LiveHistogram {
  #frame: Frame | undefined;

  constructor(private readonly container: HTMLElement) {}

  /** Draws the values and marks their mean and ± one std, which it returns with the count off the axis. */
  draw(values: ArrayLike<number>, spec: HistogramSpec): { offAxis: number; mean: number; std: number } {
    const range = spec.binRange ?? spec.domain;
    const { counts, offAxis } = binCounts(values, range, spec.bins);
    const { mean, std } = meanAndStd(values);
    const highest = counts.reduce((a, c) => Math.max(a, c), 0);
    const key = JSON.stringify([spec.domain, spec.bins, spec.label, spec.color, spec.width, spec.height]);
    const current = this.#frame;
    // Keep the count axis while the tallest bar fits and still reaches half way up it.
    const ceiling = current && current.key === key && highest <= current.ceiling && highest * 2 >= current.ceiling ? current.ceiling : countCeiling(highest);
    const frame = current && current.key === key && current.ceiling === ceiling ? current : this.#render(spec, key, ceiling);

    const base = frame.y(0);
    const [from, to] = range;
    counts.forEach((count, i) => {
      const left = frame.x(from + ((to - from) * i) / spec.bins);
      const right = frame.x(from + ((to - from) * (i + 1)) / spec.bins);
      // A hairline gap between bars, unless the bars are too narrow to spare it.
      const gap = right - left > 2 ? 0.5 : 0;
      frame.bars[i]!.setAttribute('x', String(left + gap));
      frame.bars[i]!.setAttribute('width', String(Math.max(0.5, right - left - 2 * gap)));
      const top = frame.y(count);
      frame.bars[i]!.setAttribute('y', String(top));
      frame.bars[i]!.setAttribute('height', String(Math.max(0, base - top)));
      frame.bars[i]!.dataset.count = String(count);
    });
    const [lo, hi] = spec.domain;
    [mean, mean - std, mean + std].forEach((v, i) => {
      const line = frame.markers[i]!;
      const visible = Number.isFinite(v) && v >= lo && v <= hi;
      line.style.display = visible ? '' : 'none';
      if (visible) {
        const at = String(frame.x(v));
        line.setAttribute('x1', at);
        line.setAttribute('x2', at);
      }
    });
    return { offAxis, mean, std };
  }

  #render(spec: HistogramSpec, key: string, ceiling: number): Frame {
    const svg = Plot.plot({
      width: spec.width,
      height: spec.height ?? 170,
      marginLeft: 40,
      marginBottom: MARGIN_FOR_X_LABEL,
      style: PLOT_STYLE,
      x: { domain: spec.domain, label: spec.label, tickFormat: plainTick, ...X_LABEL_BELOW },
      // Counts are whole numbers: ticks only at integers (0, 1, 2, 3 for a ceiling of 3, not 0.5 steps).
      y: { domain: [0, ceiling], label: 'count', grid: true, ticks: Math.min(ceiling, 5), tickFormat: (d: number) => (Number.isInteger(d) ? String(d) : '') },
      marks: [Plot.ruleY([0])],
    });
    const xScale = svg.scale('x')!;
    const yScale = svg.scale('y')!;
    const x = (v: number): number => xScale.apply(v) as number;
    const y = (v: number): number => yScale.apply(v) as number;
    const group = document.createElementNS(SVG_NS, 'g');
    group.dataset.bars = '';
    group.style.fill = spec.color;
    group.setAttribute('fill-opacity', '0.75');
    // Bars are placed by draw(): their bins follow the values, the frame does not.
    const bars = Array.from({ length: spec.bins }, () => {
      const rect = document.createElementNS(SVG_NS, 'rect');
      group.append(rect);
      return rect;
    });
    const [top, bottom] = [y(ceiling), y(0)];
    const markers = ['', '4,3', '4,3'].map((dash, i) => {
      const line = document.createElementNS(SVG_NS, 'line');
      line.setAttribute('y1', String(top));
      line.setAttribute('y2', String(bottom));
      line.setAttribute('stroke', 'currentColor');
      line.setAttribute('stroke-width', i === 0 ? '2' : '1');
      if (dash) line.setAttribute('stroke-dasharray', dash);
      return line;
    });
    svg.append(group, ...markers);
    showChart(this.container, svg);
    this.#frame = { key, ceiling, bars, markers, x, y };
    return this.#frame;
  }
}
