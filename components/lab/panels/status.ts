/**
 * Status and progress: the status line, the alert, the progress bar (with the training clock),
 * the backend race's line, which controls are enabled (phases.ts), and the data attributes the
 * browser tests and console readers look at.
 */
import { need } from '../../../src/lib/widget/dom';
import { applyPhase } from '../phases';
import { describeProbe } from '../probe';
import { alertLine, progressLine, statusLine } from '../sentences';
import { liveSettings } from '../state';
import type { Panel } from '../panel';

/** Training time so far, pauses excluded. */
function trainingClock() {
  let total = 0;
  let since: number | null = null;
  return {
    mark(running: boolean): void {
      if (since !== null) total += performance.now() - since;
      since = running ? performance.now() : null;
    },
    seconds: (): number => (total + (since === null ? 0 : performance.now() - since)) / 1000,
    reset(): void {
      total = 0;
      since = null;
    },
  };
}

const setData = (el: HTMLElement, key: string, value: string | undefined): void => {
  if (value === undefined) delete el.dataset[key];
  else el.dataset[key] = value;
};

export function statusPanel(root: HTMLElement): Panel {
  const $ = <T extends HTMLElement>(sel: string) => need<T>(root, sel);
  const status = $('[data-status]');
  const alert = $('[data-widget-error]');
  const progress = $<HTMLProgressElement>('[data-progress]');
  const progressText = $('[data-progress-text]');
  const progressLabel = $('[data-progress-label]');
  const probeLine = $('[data-probe-line]');
  const clock = trainingClock();
  /** The status line as last written: the live region speaks only when it changes. */
  let said: string | undefined;

  return {
    render(s, prev) {
      if (s.runKey !== prev?.runKey) clock.reset();
      if (s.phase !== prev?.phase) clock.mark(s.phase === 'training');
      const line = statusLine(s);
      if (line !== said) status.textContent = said = line;
      if (s.alert !== prev?.alert) alert.textContent = alertLine(s.alert);
      const p = progressLine(s.progress, liveSettings(s).config.steps, clock.seconds());
      if (p.label !== undefined) progressLabel.textContent = p.label;
      if (p.value !== undefined) progress.value = p.value;
      if (p.text !== undefined) progressText.textContent = p.text;
      if (s.probe !== prev?.probe && s.probe) {
        const r = s.probe.result;
        probeLine.textContent = r ? `${describeProbe(r.outcomes, r.chosen)}${s.probe.remembered ? ` (measured ${new Date(r.measuredAt).toLocaleString()})` : ''}` : describeProbe(s.probe.outcomes);
        // What was measured, for readers poking from the console and for the browser tests.
        if (r) root.dataset.probe = JSON.stringify(r);
      }
      if (s.phase !== prev?.phase || (s.curves.metrics.length > 0) !== (prev?.curves.metrics.length ?? 0) > 0) applyPhase(root, s.phase, s.curves.metrics.length > 0);
      setData(root, 'backend', s.backend?.name);
      setData(root, 'threads', s.backend?.threads ? String(s.backend.threads) : undefined);
      setData(root, 'workers', s.backend ? String(s.backend.workers ?? 1) : undefined);
      setData(root, 'finalExamples', s.finalExamples === undefined ? undefined : String(s.finalExamples));
      setData(root, 'sweep', s.sweep?.status);
    },
  };
}
