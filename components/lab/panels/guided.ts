/**
 * The guided experiments' panel (markup in Guided.astro, entries in experiments.ts): the reader
 * chooses a prediction, the lab runs the experiment's plan like any other, and when that run is
 * done (seen in the lab's state) this panel judges the experiment's claim on it
 * (src/lib/lab/verdicts.ts) and writes the prediction, the verdict and the explanation. It asks
 * the trainer for a digit reading when a claim is about one digit.
 */
import { judge, type Evidence } from '../../../src/lib/lab/verdicts';
import { TWIN_NORM_SHORT } from '../../../src/lib/train/config';
import type { LabReplies } from '../../../src/lib/train/lab/protocol';
import { need } from '../../../src/lib/widget/dom';
import { EXPERIMENTS, type Experiment, type Guide } from '../experiments';
import { EXPERIMENT_PARAM, guideLink } from '../guide-link';
import type { Panel } from '../panel';
import { liveSettings, type LabState } from '../state';

export interface GuidedPanel extends Panel {
  /** Before an experiment runs: false (and a hint) for a guided one whose prediction is not chosen yet. */
  ready(id: string): boolean;
  /** The experiment's run has started (its boot or sweep is in the state): a guided one is judged when it is done. */
  begin(id: string): void;
}

type Inspect = (pixels: Float32Array, layer: number) => Promise<LabReplies['inspect']>;

export function guidedPanel(region: HTMLElement, inspect: Inspect, opened: URLSearchParams): GuidedPanel {
  const items = new Map<string, HTMLElement>(Array.from(region.querySelectorAll<HTMLElement>('[data-guide]')).map((li) => [li.dataset.guide!, li]));
  /** The reader's predictions, kept as they choose them (never read back from the radios). */
  const predictions = new Map<string, string>();
  /** The guided run in progress: its experiment, and the run key it runs under (a twin run boots a new one). */
  let active: { experiment: Experiment & { guide: Guide }; item: HTMLElement; runKey: number } | undefined;
  let state: LabState | undefined;

  const part = (item: HTMLElement, key: string) => need<HTMLElement>(item, `[data-guide-${key}]`);
  const guidedOf = (id: string): (Experiment & { guide: Guide }) | undefined => {
    const e = EXPERIMENTS.find((x) => x.id === id);
    return e?.guide ? { ...e, guide: e.guide } : undefined;
  };

  const conclude = (evidence: Evidence): void => {
    if (!active || !state) return;
    const { experiment, item } = active;
    const guide = experiment.guide;
    const verdict = judge(guide.claim, { normName: TWIN_NORM_SHORT[liveSettings(state).config.norm], ...evidence });
    const predicted = guide.choices.find((c) => c.id === predictions.get(experiment.id));
    const expected = guide.choices.find((c) => c.id === guide.expected)!;
    part(item, 'hint').textContent = 'Done.';
    part(item, 'result').hidden = false;
    if (!verdict) {
      part(item, 'prediction').textContent = `You predicted: ${predicted?.text ?? '—'}.`;
      part(item, 'verdict').textContent = 'This run ended before it had what the question needs; run it again.';
      part(item, 'explanation').textContent = '';
      delete item.dataset.holds;
    } else {
      // The run's answer is the expected choice when the claim holds; otherwise this run does not answer it.
      const agrees = verdict.holds ? predicted?.id === guide.expected : undefined;
      part(item, 'prediction').textContent = `You predicted: ${predicted?.text ?? '—'}. ${
        agrees === undefined ? 'This run does not settle it (below).' : agrees ? 'The run agrees.' : `The run shows otherwise: ${expected.text.charAt(0).toLowerCase()}${expected.text.slice(1)}.`
      }`;
      part(item, 'verdict').textContent = verdict.sentence;
      part(item, 'explanation').textContent = guide.explain(verdict);
      item.dataset.holds = String(verdict.holds);
    }
    item.dataset.state = 'done';
    active = undefined;
  };

  const abandon = (why: string): void => {
    if (!active) return;
    part(active.item, 'hint').textContent = why;
    delete active.item.dataset.state;
    active = undefined;
  };

  const refreshLinks = (s: LabState): void => {
    for (const [id, item] of items) {
      const link = item.querySelector<HTMLAnchorElement>('[data-guide-link]');
      const experiment = EXPERIMENTS.find((e) => e.id === id);
      if (link && experiment) link.href = `${location.pathname}${guideLink(experiment, s.settings.config)}`;
    }
  };

  const onChange = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const item = input.closest<HTMLElement>('[data-guide]');
    if (input.type !== 'radio' || !item?.dataset.guide) return;
    predictions.set(item.dataset.guide, input.value);
    part(item, 'hint').textContent = 'Now run it.';
  };
  region.addEventListener('change', onChange);

  // A link to one experiment: bring it into view and put focus on its first choice.
  const openedId = opened.get(EXPERIMENT_PARAM);
  const openedItem = openedId ? items.get(openedId) : undefined;
  if (openedItem) {
    openedItem.scrollIntoView({ block: 'start' });
    openedItem.querySelector<HTMLInputElement>('input[type="radio"]')?.focus({ preventScroll: true });
  }

  return {
    ready(id) {
      const item = items.get(id);
      if (!guidedOf(id) || !item || predictions.has(id)) return true;
      part(item, 'hint').textContent = 'Choose your prediction first: which answer do you expect?';
      item.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
      return false;
    },
    begin(id) {
      abandon('Stopped: another run started. Run it again to see its verdict.');
      const experiment = guidedOf(id);
      const item = items.get(id);
      if (!experiment || !item || !state) return;
      part(item, 'hint').textContent = 'Running…';
      part(item, 'result').hidden = true;
      item.dataset.state = 'running';
      delete item.dataset.holds;
      active = { experiment, item, runKey: state.runKey };
    },
    render(s, prev) {
      state = s;
      if (!prev || s.settings !== prev.settings) refreshLinks(s);
      if (!active || !prev) return;
      const { experiment, runKey } = active;
      // Any new boot is another run than the experiment's (reset, Start with new settings, a loaded run).
      if (s.runKey !== runKey) return abandon('Stopped: another run started. Run it again to see its verdict.');
      if (experiment.plan(s.settings.config).kind === 'sweep') {
        if (s.sweep?.status === 'done' && prev.sweep?.status === 'running') conclude({ sweep: s.sweep.points });
        else if (s.sweep?.status === 'cancelled' && prev.sweep?.status === 'running') abandon('Cancelled.');
        return;
      }
      if (s.phase !== 'finished' || prev.phase === 'finished') return;
      const k = experiment.guide.inspectDigit;
      if (k === undefined) return conclude({ curves: s.curves, steps: liveSettings(s).config.steps });
      const digits = s.digits;
      if (!digits) return conclude({});
      const pixels = Float32Array.from(digits.pixels.subarray(k * 784, (k + 1) * 784), (v) => v / 255);
      inspect(pixels, 0).then(
        (r) => conclude({ digit: { predictions: r.predictions, label: digits.labels[k]! } }),
        () => conclude({}),
      );
    },
    dispose() {
      region.removeEventListener('change', onChange);
    },
  };
}
