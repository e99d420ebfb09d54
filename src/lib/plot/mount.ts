/**
 * Puts a Plot chart into its container. The container carries the text alternative
 * (role="img" and an aria-label summary written by the widget), so the chart's own SVG is
 * hidden from assistive technology rather than read out mark by mark.
 */
export function showChart(container: HTMLElement, chart: Element): void {
  chart.setAttribute('aria-hidden', 'true');
  container.replaceChildren(chart);
}
