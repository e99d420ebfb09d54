/**
 * Captions that check themselves: under each live chart's "Look for: …", a sentence computed
 * from this run by the verdict code (src/lib/lab/verdicts.ts) on the chart's claim
 * (src/lib/lab/claims.ts): "This run: …" or "Not in this run: …".
 */
import { CHART_CLAIMS } from '../../src/lib/lab/claims';
import { judge, type Evidence } from '../../src/lib/lab/verdicts';
import type { ChartName } from './charts';

/** Before the run has the data: what will be checked, and when (the line is there from the start, so nothing shifts). */
export const PENDING: Record<ChartName, string> = {
  loss: 'This run: checked once it has trained 100 steps.',
  accuracy: 'This run: checked at the evaluation of step 100.',
  percentiles: 'This run: checked once it has ten readings.',
  running: 'This run: checked once it has ten readings.',
};
const NO_DATA: Record<ChartName, string> = {
  loss: 'This run has too few steps to check this.',
  accuracy: 'This run has no evaluation to check this on.',
  percentiles: 'This run has too few readings to check this.',
  running: 'This run keeps no running averages (GroupNorm normalizes each example by itself), so there is nothing to check.',
};

/** Writes the chart's verdict for this run into its caption line. */
export function showChartVerdict(line: HTMLElement, chart: ChartName, evidence: Evidence & { finished: boolean }, layer: number): void {
  const verdict = judge(CHART_CLAIMS[chart](layer), evidence);
  const metrics = evidence.curves?.metrics ?? [];
  const never = evidence.finished || (chart === 'running' && metrics.length > 0 && !metrics.some((m) => m.runs.norm?.running));
  line.textContent = verdict?.sentence ?? (never ? NO_DATA[chart] : PENDING[chart]);
  if (verdict) line.dataset.holds = String(verdict.holds);
  else delete line.dataset.holds;
}
