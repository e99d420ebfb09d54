/**
 * The lab's phases and which controls each allows. A disabled control carries the reason (shown
 * as its tooltip), so a reader never wonders why a button does nothing.
 */
export type Phase = 'loading' | 'ready' | 'training' | 'paused' | 'finished' | 'sweeping' | 'failed';
export type Control = 'start' | 'pause' | 'step' | 'reset' | 'cancel-sweep' | 'experiment' | 'export' | 'measure';

const LOADING = 'Waiting for MNIST and the trainer to load.';
const SWEEPING = 'A sweep is running: cancel it first.';

/** For each control, null when it is enabled, else why it is not. */
export function controlStates(phase: Phase, hasCurves: boolean): Record<Control, string | null> {
  const busy = phase === 'loading' ? LOADING : phase === 'sweeping' ? SWEEPING : null;
  return {
    start: busy ?? (phase === 'training' ? 'Already training.' : null),
    pause: phase === 'training' ? null : 'Nothing is training.',
    step: busy ?? (phase === 'training' ? 'Pause first.' : phase === 'finished' ? 'The run is finished: press Start for a new one.' : phase === 'failed' ? 'The trainer did not start: press Reset.' : null),
    reset: busy,
    'cancel-sweep': phase === 'sweeping' ? null : 'No sweep is running.',
    experiment: busy ?? (phase === 'training' ? 'Pause first.' : phase === 'failed' ? 'The trainer did not start: press Reset.' : null),
    export: !hasCurves ? 'Train first: there is nothing to export yet.' : phase === 'training' || phase === 'sweeping' ? 'Pause first.' : null,
    measure: busy ?? (phase === 'training' ? 'Pause first.' : null),
  };
}

/** The buttons each control names in the lab's markup. */
export const CONTROL_SELECTORS: Record<Control, string> = {
  start: '[data-action="start"]',
  pause: '[data-action="pause"]',
  step: '[data-action="step"]',
  reset: '[data-action="reset"]',
  'cancel-sweep': '[data-action="cancel-sweep"]',
  experiment: '[data-experiment]',
  export: '[data-export]',
  measure: '[data-action="measure"]',
};

export function applyPhase(root: HTMLElement, phase: Phase, hasCurves: boolean): void {
  root.dataset.phase = phase;
  for (const [control, why] of Object.entries(controlStates(phase, hasCurves)) as Array<[Control, string | null]>) {
    for (const button of root.querySelectorAll<HTMLButtonElement>(CONTROL_SELECTORS[control])) {
      button.disabled = why !== null;
      if (why) button.title = why;
      else button.removeAttribute('title');
    }
  }
}
