/** The live charts' verdict lines (captions.ts words them): redrawn when the curves, the layer or the phase change. */
import { TWIN_NORM_SHORT } from '../../../src/lib/train/config';
import { need } from '../../../src/lib/widget/dom';
import { showChartVerdict } from '../captions';
import { CHART_NAMES, type ChartName } from '../charts';
import type { Panel } from '../panel';
import { liveSettings } from '../state';

export function captionsPanel(root: HTMLElement): Panel {
  const lines = Object.fromEntries(CHART_NAMES.map((n) => [n, need<HTMLElement>(root, `[data-verdict="${n}"]`)])) as Record<ChartName, HTMLElement>;
  return {
    render(s, prev) {
      if (prev && s.curves === prev.curves && s.layer === prev.layer && s.phase === prev.phase && s.runKey === prev.runKey) return;
      const config = liveSettings(s).config;
      const evidence = { curves: s.curves, steps: config.steps, normName: TWIN_NORM_SHORT[config.norm], finished: s.phase === 'finished' };
      for (const n of CHART_NAMES) showChartVerdict(lines[n], n, evidence, s.layer);
    },
  };
}
