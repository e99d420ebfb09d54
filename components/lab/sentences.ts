/**
 * Every sentence the lab's status, alert and progress lines say, worded from its state. The
 * worker sends data only (causes, numbers, the underlying error's own text); the words are here.
 */
import { TWIN_NORM_SHORT, type BackendName } from '../../src/lib/train/config';
import type { Failure, RunName } from '../../src/lib/train/lab/protocol';
import { formatPercent as pct } from '../../src/lib/widget/dom';
import { liveSettings, type Alert, type LabState, type Progress } from './state';

/** "wasm (one thread)", "wasm (4 threads)", or the backend's name alone. */
export const backendWithThreads = (name: BackendName, threads?: number): string => `${name}${threads ? ` (${threads === 1 ? 'one thread' : `${threads} threads`})` : ''}`;

/** The normalized twin's short name in the run on screen: "BN", "GN", "noisy BN". */
export const normLabel = (s: LabState): string => TWIN_NORM_SHORT[liveSettings(s).config.norm];

/** How a twin is named in the sweep's legend and table. */
export const runLabel = (s: LabState, run: RunName): string => (run === 'norm' ? normLabel(s) : run === 'plain' ? 'no BN' : run.toUpperCase());

const accuracy = (v: number | undefined): string => (v === undefined ? '—' : pct(v));

/** What stopped a run, after "Training stopped: " or "Training on webgl stopped: ". */
function stopReason(f: Failure): string {
  if (f.cause === 'context-lost') return 'the WebGL context was lost (the GPU was reset or its memory reclaimed).';
  return f.detail ?? f.cause;
}

/** A failure the worker reported, in one line. */
export function failureLine(f: Failure): string {
  if (f.cause === 'context-lost' || f.cause === 'step-failed') return `Training stopped: ${stopReason(f)}`;
  return f.detail ?? `The trainer failed (${f.cause}).`;
}

export function statusLine(s: LabState): string {
  const st = s.status;
  const backend = s.backend ? backendWithThreads(s.backend.name, s.backend.threads) : '';
  const steps = liveSettings(s).config.steps;
  switch (st.kind) {
    case 'waiting':
      return 'The trainer starts when JavaScript has loaded.';
    case 'loading':
      return 'Loading MNIST and starting the trainer…';
    case 'measuring':
      return 'Measuring which backend trains this network fastest…';
    case 'ready':
      return `Ready on ${backend}.`;
    case 'loaded':
      return `Loaded the saved run at step ${st.step} on ${backend}: its networks are in the digit tools below. ${st.done ? 'It had finished; Start trains a new run.' : `Start goes on from step ${st.step} (the optimizer's moments start afresh).`}`;
    case 'training':
      return 'Training…';
    case 'paused':
      return 'Paused.';
    case 'evaluating':
      return `Trained ${steps} steps; evaluating both runs on every test image…`;
    case 'finished':
      return `Finished: ${steps} steps. Test accuracy on all ${s.finalExamples ?? ''} test images (inference mode): ${normLabel(s)} ${accuracy(s.accuracy.norm)}, no BN ${accuracy(s.accuracy.plain)}.`;
    case 'sweep-running':
      return `${st.label} running…`;
    case 'sweep-progress':
      return `Sweep: ${st.done} of ${st.total} done.`;
    case 'sweep-done':
      return st.cancelled ? 'Sweep cancelled.' : 'Sweep finished.';
    case 'stopped-unsaved':
      return 'Training stopped before its networks were saved. Choose another backend in the settings and press Reset to start again.';
    case 'not-started':
      return 'The trainer could not start. Choose another backend and press Reset.';
  }
}

export function alertLine(a: Alert): string {
  switch (a.kind) {
    case 'none':
      return '';
    case 'link-problems':
      return a.problems.join(' ');
    case 'form-problems':
      return `Not applied: ${a.problems.join(' ')}`;
    case 'unavailable':
      return `${a.asked} is unavailable here (${a.reason}); using ${a.using}.`;
    case 'diverged':
      return `The ${a.run === 'norm' ? 'normalized' : 'plain'} run diverged by step ${a.step}: its loss is ${a.loss}. The other run goes on.`;
    case 'failure':
      return failureLine(a.failure);
    case 'failover':
      return `Training on ${a.failed} stopped: ${stopReason(a.failure)} Going on from step ${a.step} (its last saved networks) on ${backendWithThreads(a.backend, a.threads)}.`;
    case 'crashed':
      return `The trainer crashed: ${a.why}. Press Reset to start it again.`;
  }
}

/** The progress bar's label, value (0..1) and text; `seconds` is the training time so far. */
export function progressLine(p: Progress, steps: number, seconds: number): { label?: string; value?: number; text?: string } {
  switch (p.task) {
    case 'waiting':
      return {};
    case 'download':
      return { label: 'MNIST download', value: p.total ? p.loaded / p.total : 0, ...(p.total ? { text: `${(p.loaded / 1e6).toFixed(1)} of ${(p.total / 1e6).toFixed(1)} MB` } : {}) };
    case 'loaded':
      return { value: 1, text: `loaded: ${p.train} training and ${p.test} test images` };
    case 'training': {
      const left = p.stepsPerSecond > 0 ? `, about ${Math.ceil((steps - p.step) / p.stepsPerSecond)} s left` : '';
      return { label: 'Training', value: p.step / steps, text: `step ${p.step} of ${steps}: ${Math.round(seconds)} s${left}` };
    }
    case 'final-evaluation':
      return { label: 'Final evaluation', value: p.done / p.total, text: `${p.done} of ${p.total} test images (both runs together)` };
  }
}

/** A date as the saved runs' list and legends write it. */
export const when = (iso: string, style: 'medium' | 'short' = 'medium'): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: style === 'medium' ? 'medium' : undefined, timeStyle: style });
