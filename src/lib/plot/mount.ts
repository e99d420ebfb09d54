/**
 * Puts a Plot chart into its container. The container carries the text alternative
 * (role="img" and an aria-label summary written by the widget), so the chart's own SVG is
 * hidden from assistive technology rather than read out mark by mark.
 */
export function showChart(container: HTMLElement, chart: Element): void {
  chart.setAttribute('aria-hidden', 'true');
  container.replaceChildren(chart);
}

/** Every chart's text takes the page's colour and sits on the page's background, in both themes. */
export const PLOT_STYLE = { background: 'transparent', color: 'currentColor', fontSize: '12px' } as const;

/**
 * The x axis's label centred below its tick labels: Plot's default puts it at the right end of the
 * tick row, where it ran into the last ticks. Charts using it give MARGIN_FOR_X_LABEL at the bottom.
 */
export const X_LABEL_BELOW = { labelAnchor: 'center', labelOffset: 36 } as const;
export const MARGIN_FOR_X_LABEL = 42;

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/**
 * A log axis's tick label as a plain power of ten ("10⁻⁶", "1", "10³") instead of d3's SI prefixes
 * ("1µ", "1k"); ticks between powers of ten get no label.
 */
export function powerOfTen(value: number): string {
  if (!(value > 0)) return '';
  const exponent = Math.round(Math.log10(value));
  if (Math.abs(Math.log10(value) - exponent) > 1e-9) return '';
  if (exponent === 0) return '1';
  if (exponent === 1) return '10';
  return `10${String(exponent).replace(/./g, (ch) => SUPERSCRIPT[ch] ?? ch)}`;
}

/**
 * A linear axis's tick label as a plain decimal ("0.2", "1,000", "−0.5") instead of d3's SI
 * prefixes ("200m"): at most four significant digits, which is all a tick needs.
 */
export function plainTick(value: number): string {
  if (value === 0) return '0';
  const text = Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  return text.replace('-', '−');
}

/**
 * A chart's width for its container: the column's width, no narrower than its axes need and no
 * wider than reads well. 640 while the container is not laid out yet (hidden, say).
 */
export function plotWidth(container: HTMLElement, { min = 260, max = 720 }: { min?: number; max?: number } = {}): number {
  return Math.max(min, Math.min(container.clientWidth || 640, max));
}
