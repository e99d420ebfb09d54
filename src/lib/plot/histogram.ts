import * as Plot from '@observablehq/plot';

export interface HistogramSpec {
  values: ArrayLike<number>;
  /** Fixed x domain, so axes stay put while a slider moves. */
  domain: [number, number];
  bins: number;
  mean: number;
  std: number;
  label: string;
  color: string;
  width: number;
  height?: number;
}

/**
 * A histogram with the mean (solid) and mean ± one standard deviation (dashed) marked.
 * Values outside the domain are counted in the returned summary instead of silently vanishing.
 */
export function histogram(spec: HistogramSpec): { svg: Element; offAxis: number } {
  const [lo, hi] = spec.domain;
  const data = Array.from(spec.values);
  const inside = data.filter((v) => v >= lo && v <= hi);
  const thresholds = Array.from({ length: spec.bins + 1 }, (_, i) => lo + ((hi - lo) * i) / spec.bins);
  const markers = [spec.mean - spec.std, spec.mean + spec.std].filter((v) => v >= lo && v <= hi);
  const svg = Plot.plot({
    width: spec.width,
    height: spec.height ?? 170,
    marginLeft: 40,
    marginBottom: 32,
    style: { background: 'transparent', color: 'currentColor', fontSize: '12px' },
    x: { domain: spec.domain, label: spec.label },
    y: { label: 'count', grid: true },
    marks: [
      Plot.rectY(inside, { ...Plot.binX({ y: 'count' }, { x: (d: number) => d, thresholds }), fill: spec.color, fillOpacity: 0.75, inset: 0.5 }),
      Plot.ruleY([0]),
      spec.mean >= lo && spec.mean <= hi ? Plot.ruleX([spec.mean], { stroke: 'currentColor', strokeWidth: 2 }) : null,
      Plot.ruleX(markers, { stroke: 'currentColor', strokeDasharray: '4,3' }),
    ],
  });
  return { svg, offAxis: data.length - inside.length };
}
