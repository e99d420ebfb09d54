/**
 * The lab page's wiring: the panels (each draws from the lab's state), the controller (state,
 * trainer, saved runs) and the buttons. What the lab does is in state.ts and controller.ts; what
 * each part of the page shows is in panels/; every sentence is in sentences.ts.
 */
import type { RunName } from '../../src/lib/train/lab/protocol';
import { need } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';
import { twinWorkers } from './client';
import { createLab, type Lab } from './controller';
import type { Panel } from './panel';
import { captionsPanel } from './panels/captions';
import { digitsPanel } from './panels/digits';
import { guidedPanel } from './panels/guided';
import { liveChartsPanel } from './panels/live-charts';
import { readoutsPanel } from './panels/readouts';
import { savedRunsPanel } from './panels/saved-runs-view';
import { ONE_SCREEN, settingsForm } from './panels/settings-form';
import { statusPanel } from './panels/status';
import { sweepPanel } from './panels/sweep';
import { settingsFromLink } from './settings';
import { initialState, type LabState } from './state';

export async function mount(root: HTMLElement): Promise<Cleanup> {
  // Settings: the link first (a shared link reproduces the run), then the form reflects them.
  const fromUrl = settingsFromLink();
  const workers = twinWorkers(location.search, navigator.hardwareConcurrency);
  // The panels call back into the lab only on the reader's input, after it exists.
  let lab: Lab | undefined;
  const form = settingsForm(root);
  // Guided experiments: a prediction first, then the run's verdict on the experiment's claim.
  const guided = guidedPanel(need(root, '[data-guided]'), (pixels, layer) => lab!.inspect(pixels, layer), new URLSearchParams(location.search));
  const panels: Panel[] = [
    form,
    statusPanel(root),
    readoutsPanel(root),
    liveChartsPanel(root, (a) => lab?.dispatch(a)),
    captionsPanel(root),
    guided,
    sweepPanel(root),
    digitsPanel(need(root, '[data-digits]'), (pixels, layer) => lab!.inspect(pixels, layer)),
    savedRunsPanel(need(root, '[data-saved-runs]'), {
      load: (run) => lab?.load(run),
      overlay: (id) => lab?.dispatch({ type: 'overlay', id }),
      delete: (run) => lab?.deleteRun(run) ?? Promise.resolve(false),
    }),
  ];
  const render = (s: LabState, prev?: LabState): void => {
    for (const panel of panels) panel.render(s, prev);
  };
  const initial = initialState(fromUrl.settings, fromUrl.problems);
  render(initial);
  lab = createLab(initial, render, form.values, workers);

  const onClick = (event: Event): void => {
    const el = (event.target as HTMLElement).closest<HTMLButtonElement>('button');
    if (!el || el.disabled || !lab) return;
    const { action, experiment, export: what } = el.dataset;
    if (action === 'start') {
      // On a phone the charts sit below the controls: bring the loss chart into view as training starts.
      if (lab.start() && !matchMedia(ONE_SCREEN).matches) {
        const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
        need(root, '[data-chart="loss"]').closest('figure')?.scrollIntoView({ block: 'end', behavior: smooth ? 'smooth' : 'auto' });
      }
    } else if (action === 'step' || action === 'pause' || action === 'cancel-sweep') lab.command(action);
    else if (action === 'measure' || action === 'reset') lab.reset({ measure: action === 'measure' });
    else if (experiment) {
      if (guided.ready(experiment) && lab.experiment(experiment)) guided.begin(experiment);
    }
    else if (what === 'csv' || what === 'json') lab.exportCurves(what);
    else if (what === 'model-norm' || what === 'model-plain') lab.exportModel(what.slice('model-'.length) as RunName);
  };
  root.addEventListener('click', onClick);
  await lab.boot();
  return () => {
    root.removeEventListener('click', onClick);
    for (const panel of panels) panel.dispose?.();
    lab?.dispose();
  };
}
