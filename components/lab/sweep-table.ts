import type { SweepPoint, SweepSpec, RunName } from '../../src/lib/train/lab/protocol';
import { formatPercent as pct } from '../../src/lib/widget/dom';
import { renderTable } from '../../src/lib/widget/table';

/** A sweep's results so far: one row per value, one column per twin, failures marked. */
export function renderSweepTable(container: HTMLElement, spec: SweepSpec, points: SweepPoint[], runLabel: (run: RunName) => string): void {
  const names = Object.keys(points[0]?.runs ?? {}) as RunName[];
  const caption =
    spec.kind === 'lr'
      ? `Learning-rate sweep, ${spec.steps} steps each: test accuracy (inference mode), or where the run failed`
      : `Batch-size sweep, ${spec.steps} steps each: BN vs GroupNorm test accuracy (inference mode)`;
  renderTable(
    container,
    caption,
    [spec.kind === 'lr' ? 'learning rate' : 'batch size', ...names.map(runLabel)],
    points.map((p) => ({
      head: String(p.value),
      cells: names.map((n) => {
        const r = p.runs[n]!;
        const text = r.diverged ? (r.divergedAtStep !== null ? `diverged at step ${r.divergedAtStep}` : `failed to learn (${pct(r.accuracy)})`) : pct(r.accuracy);
        return { text, data: { run: n, diverged: String(r.diverged) } };
      }),
    })),
  );
}
