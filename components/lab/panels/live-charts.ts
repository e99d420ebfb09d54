/**
 * The four live charts (loss, accuracy, percentile bands, running averages), one chart per
 * animation frame: four Plot renders in one task made the page stutter while training.
 */
import { frameScheduler, need } from '../../../src/lib/widget/dom';
import { CHART_NAMES, chartWidth, drawChart, type ChartName, type Overlay } from '../charts';
import { when } from '../sentences';
import { liveSettings, type LabAction, type LabState } from '../state';
import type { Panel } from '../panel';

/** The saved run drawn under the live curves, dashed. */
export function overlayOf(s: LabState): Overlay | undefined {
  const run = s.overlay ? s.saved.runs.find((r) => r.id === s.overlay) : undefined;
  return run ? { history: run.curves, label: `saved ${when(run.date, 'short')}` } : undefined;
}

/** Which charts a change of state touches. */
function touched(s: LabState, prev: LabState | undefined): ChartName[] {
  if (!prev || s.runKey !== prev.runKey || s.running !== prev.running) return [...CHART_NAMES];
  const names = new Set<ChartName>();
  const overlay = overlayOf(s)?.history !== overlayOf(prev)?.history;
  if (s.curves.metrics !== prev.curves.metrics) ['loss', 'percentiles', 'running'].forEach((n) => names.add(n as ChartName));
  if (s.curves.evals !== prev.curves.evals) names.add('accuracy');
  if (overlay) ['loss', 'accuracy'].forEach((n) => names.add(n as ChartName));
  if (s.layer !== prev.layer) ['percentiles', 'running'].forEach((n) => names.add(n as ChartName));
  return [...names];
}

export function liveChartsPanel(root: HTMLElement, dispatch: (a: LabAction) => void): Panel {
  const charts = Object.fromEntries(CHART_NAMES.map((n) => [n, need<HTMLElement>(root, `[data-chart="${n}"]`)])) as Record<ChartName, HTMLElement>;
  const layerSelect = need<HTMLSelectElement>(root, 'select[name="layer"]');
  let state: LabState | undefined;
  const dirty = new Set<ChartName>();
  const frame = frameScheduler(() => {
    const name = dirty.values().next().value;
    if (!name || !state) return;
    dirty.delete(name);
    drawChart[name]({ target: charts[name], history: state.curves, steps: liveSettings(state).config.steps, layer: state.layer, width: chartWidth(charts.loss), overlay: overlayOf(state) });
    if (dirty.size) frame.schedule();
  });
  const redraw = (names: readonly ChartName[]): void => {
    for (const n of names) dirty.add(n);
    if (dirty.size) frame.schedule();
  };
  const onLayer = (): void => dispatch({ type: 'layer', layer: Number(layerSelect.value) });
  layerSelect.addEventListener('change', onLayer);
  const resize = new ResizeObserver(() => redraw(CHART_NAMES));
  resize.observe(charts.loss);
  return {
    render(s, prev) {
      state = s;
      if (prev && s.layer !== prev.layer) layerSelect.value = String(s.layer);
      redraw(touched(s, prev));
    },
    dispose() {
      frame.cancel();
      resize.disconnect();
      layerSelect.removeEventListener('change', onLayer);
    },
  };
}
