/** A sweep's chart and table, drawn as its points arrive. */
import { need } from '../../../src/lib/widget/dom';
import { chartWidth } from '../charts';
import { runLabel } from '../sentences';
import { drawSweepChart } from '../sweep-chart';
import { renderSweepTable } from '../sweep-table';
import type { Panel } from '../panel';

export function sweepPanel(root: HTMLElement): Panel {
  const chart = need<HTMLElement>(root, '[data-sweep-chart]');
  const table = need<HTMLElement>(root, '[data-sweep-table]');
  const loss = need<HTMLElement>(root, '[data-chart="loss"]');
  return {
    render(s, prev) {
      const sweep = s.sweep;
      if (!sweep || sweep.points === prev?.sweep?.points) return;
      if (!sweep.points.length) {
        chart.replaceChildren();
        table.replaceChildren();
        return;
      }
      const label = (run: Parameters<typeof runLabel>[1]) => runLabel(s, run);
      drawSweepChart(chart, sweep.spec, sweep.points, label, chartWidth(loss));
      renderSweepTable(table, sweep.spec, sweep.points, label);
    },
  };
}
