/**
 * Two charts for the digit tools' section: every hidden layer's percentile band over time, both
 * twins side by side (the paper's Figure 1 for the whole network), and each twin's confusion
 * matrix after the final evaluation.
 */
import * as Plot from '@observablehq/plot';
import { PLOT_STYLE, plainTick, showChart } from '../../src/lib/plot/mount';
import type { PerRun } from '../../src/lib/train/lab/protocol';
import type { History } from '../../src/lib/runs/types';

const TWIN_NAME: Record<string, string> = { norm: 'normalized', plain: 'plain' };

/** Small multiples: a row per twin, a column per hidden layer, each the unit's 15/50/85th percentile band. */
export function drawLayerBands(target: HTMLElement, history: History, steps: number, width: number): void {
  const bands = history.metrics.flatMap((m) =>
    Object.entries(m.runs).flatMap(([name, r]) => (r.percentiles ?? []).map((p, layer) => ({ step: m.step, twin: TWIN_NAME[name] ?? name, layer: `layer ${layer + 1}`, ...p }))),
  );
  if (!bands.length) {
    const note = Object.assign(document.createElement('p'), { className: 'chart-empty', textContent: 'No steps yet: every layer’s band appears here after the first step.' });
    target.replaceChildren(note);
    target.setAttribute('aria-label', note.textContent!);
    return;
  }
  showChart(
    target,
    Plot.plot({
      width,
      height: 300,
      marginLeft: 56,
      marginRight: 84,
      style: PLOT_STYLE,
      // On a phone each panel is ~70 px wide: its last step only (a panel's last and the next one's first ran together).
      x: { domain: [0, steps], label: 'step', ...(width < 560 ? { ticks: [steps] } : { ticks: 3 }), tickFormat: plainTick },
      // Beside the axis, not above it, where the panels' layer names are.
      y: { label: 'input to the nonlinearity', labelAnchor: 'center', grid: true, tickFormat: plainTick, ticks: 4 },
      fx: { label: null },
      fy: { label: null, domain: ['normalized', 'plain'] },
      color: { domain: ['normalized', 'plain'], range: ['var(--bn)', 'var(--nobn)'] },
      marks: [
        Plot.frame({ strokeOpacity: 0.2 }),
        Plot.areaY(bands, { x: 'step', y1: 'p15', y2: 'p85', fill: 'twin', fx: 'layer', fy: 'twin', fillOpacity: 0.25 }),
        Plot.lineY(bands, { x: 'step', y: 'p50', stroke: 'twin', fx: 'layer', fy: 'twin' }),
      ],
    }),
  );
  const last = bands.filter((b) => b.step === bands.at(-1)!.step);
  target.setAttribute(
    'aria-label',
    `15th to 85th percentile band of each hidden layer's watched unit over steps, normalized and plain networks; at step ${bands.at(-1)!.step}: ${last.map((b) => `${b.twin} ${b.layer} ${b.p15.toFixed(2)} to ${b.p85.toFixed(2)}`).join('; ')}`,
  );
}

interface Cell {
  twin: string;
  truth: number;
  predicted: number;
  count: number;
  /** The count off the diagonal (a mistake), else 0. */
  off: number;
}

/** The two confusion matrices (rows: true digit, columns: predicted), counts written in the cells. */
export function drawConfusion(target: HTMLElement, matrices: PerRun<number[]>, width: number): void {
  const cells: Cell[] = Object.entries(matrices).flatMap(([name, m]) =>
    (m ?? []).map((count, k) => ({ twin: TWIN_NAME[name] ?? name, truth: Math.floor(k / 10), predicted: k % 10, count, off: Math.floor(k / 10) !== k % 10 && count > 0 ? count : 0 })),
  );
  if (!cells.length) {
    target.replaceChildren(Object.assign(document.createElement('p'), { className: 'chart-empty', textContent: 'The confusion matrices appear here when a run finishes (its final evaluation on all 10,000 test images).' }));
    target.setAttribute('aria-label', 'Confusion matrices appear when a run finishes');
    return;
  }
  const most = Math.max(1, ...cells.map((c) => c.off));
  // Side by side where there is room; one above the other on a phone, so each cell stays legible.
  const stacked = width < 560;
  const facet = stacked ? { fy: 'twin' } : { fx: 'twin' };
  const plotWidth = Math.min(width, 760);
  const cellSide = (stacked ? plotWidth - 120 : plotWidth / 2 - 40) / 10;
  showChart(
    target,
    Plot.plot({
      width: plotWidth,
      height: cellSide * 10 * (stacked ? 2 : 1) + (stacked ? 90 : 60),
      marginLeft: 40,
      // Room for the twin's name beside each matrix when they are stacked.
      marginRight: stacked ? 80 : 0,
      marginBottom: 36,
      style: PLOT_STYLE,
      padding: 0.04,
      x: { label: 'predicted', domain: Array.from({ length: 10 }, (_, i) => i) },
      y: { label: 'true', domain: Array.from({ length: 10 }, (_, i) => i) },
      fx: { label: null, domain: ['normalized', 'plain'] },
      fy: { label: null, domain: ['normalized', 'plain'] },
      // Only the mistakes are coloured and counted: the diagonal's thousands would drown them.
      color: { type: 'sqrt', scheme: 'oranges', domain: [0, most] },
      marks: [
        Plot.cell(cells.filter((c) => c.off === 0), { x: 'predicted', y: 'truth', ...facet, fill: (c: Cell) => (c.truth === c.predicted ? 'var(--border)' : 'var(--bg-soft)'), inset: 0.5 }),
        Plot.cell(cells.filter((c) => c.off > 0), { x: 'predicted', y: 'truth', ...facet, fill: 'off', inset: 0.5 }),
        // Dark text on the light cells, white on the dark ones, in either theme.
        Plot.text(cells.filter((c) => c.off > 0), { x: 'predicted', y: 'truth', ...facet, text: 'off', fontSize: 12, fill: (c: Cell) => (Math.sqrt(c.off / most) > 0.6 ? 'white' : 'black') }),
      ],
    }),
  );
  const worst = (name: string) => {
    const top = cells.filter((c) => c.twin === name && c.off > 0).sort((a, b) => b.off - a.off)[0];
    return top ? `${name}: most often ${top.truth} read as ${top.predicted} (${top.off} times)` : `${name}: no mistakes`;
  };
  target.setAttribute('aria-label', `Confusion matrices on the test set. ${Object.keys(matrices).map((n) => worst(TWIN_NAME[n] ?? n)).join('; ')}.`);
}
