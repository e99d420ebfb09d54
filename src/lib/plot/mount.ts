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
 * A chart's width for its container: the column's width, no narrower than its axes need and no
 * wider than reads well. 640 while the container is not laid out yet (hidden, say).
 */
export function plotWidth(container: HTMLElement, { min = 260, max = 720 }: { min?: number; max?: number } = {}): number {
  return Math.max(min, Math.min(container.clientWidth || 640, max));
}
