/** The readouts beside the controls: accuracies, step, speed, backend in use, tensors alive. */
import { formatPercent as pct, need } from '../../../src/lib/widget/dom';
import { backendWithThreads, normLabel } from '../sentences';
import type { LabState } from '../state';
import type { Panel } from '../panel';

const accuracy = (v: number | undefined): string => (v === undefined ? '—' : pct(v));

export function readoutsPanel(root: HTMLElement): Panel {
  const out = (key: string) => need<HTMLOutputElement>(root, `[data-out="${key}"]`);
  const label = (key: string) => need<HTMLElement>(root, `[data-label="${key}"]`);
  /** What each readout shows, as last written (an output that does not change is not touched). */
  const shown = new Map<HTMLElement, string>();
  const write = (el: HTMLElement, text: string): void => {
    if (shown.get(el) === text) return;
    shown.set(el, text);
    el.textContent = text;
  };
  return {
    render(s: LabState, prev?: LabState) {
      if (s.accuracy !== prev?.accuracy) {
        write(out('acc-norm'), accuracy(s.accuracy.norm));
        write(out('acc-plain'), accuracy(s.accuracy.plain));
        write(out('train-acc-norm'), accuracy(s.accuracy.normTrainMode));
      }
      if (s.running !== prev?.running) {
        write(label('norm'), `test accuracy (${normLabel(s)})`);
        write(label('norm-train'), `test accuracy, training-mode statistics (${normLabel(s)})`);
      }
      if (s.step !== prev?.step) write(out('step'), String(s.step));
      if (s.speed && s.speed !== prev?.speed) write(out('speed'), `${s.speed.stepsPerSecond.toFixed(1)} steps/s (${Math.round(s.speed.examplesPerSecond)} examples/s over both runs${s.backend?.workers === 2 ? ', each in a worker of its own' : ''})`);
      if (s.tensors !== undefined) write(out('tensors'), String(s.tensors));
      if (s.backend) write(out('backend'), backendWithThreads(s.backend.name, s.backend.threads));
    },
  };
}
