/**
 * The guided experiments' panel (markup in Guided.astro, entries in experiments.ts): the reader
 * chooses a prediction, the page runs the experiment's plan like any other, and when the run is
 * done this module judges the experiment's claim on it (src/lib/lab/verdicts.ts) and writes the
 * prediction, the verdict and the explanation. It asks the trainer for a digit reading when a
 * claim is about one digit.
 */
import { judge, type Evidence } from '../../src/lib/lab/verdicts';
import { TWIN_NORM_SHORT, type RunConfig } from '../../src/lib/train/config';
import type { FromWorker, GalleryDigits, SweepPoint, ToWorker } from '../../src/lib/train/protocol';
import { need } from '../../src/lib/widget/dom';
import type { History } from './charts';
import { EXPERIMENTS, type Experiment, type Guide } from './experiments';
import { EXPERIMENT_PARAM, guideLink } from './guide-link';

export interface GuidedHost {
  region: HTMLElement;
  /** The settings of the run on screen, and the form's (for the links). */
  config(): RunConfig;
  formConfig(): RunConfig;
  history(): History;
  send(msg: ToWorker): void;
}

export interface GuidedController {
  /** Before an experiment runs: false (and a hint) for a guided one whose prediction is not chosen yet. */
  ready(e: Experiment): boolean;
  /** The experiment's run starts: a guided one is judged when it is done. */
  begin(e: Experiment): void;
  /** A run other than a guided experiment's is starting: any pending verdict is off. */
  abandon(): void;
  hear(m: FromWorker): void;
  /** The form's settings changed: the links follow its seed. */
  refreshLinks(): void;
}

/** Inspection ids of our own, far from the digit tools' (which count up from 1). */
const INSPECT_BASE = 1_000_000;

export function mountGuided(host: GuidedHost, opened: URLSearchParams): GuidedController {
  const items = new Map<string, HTMLElement>(Array.from(host.region.querySelectorAll<HTMLElement>('[data-guide]')).map((li) => [li.dataset.guide!, li]));
  let active: { experiment: Experiment & { guide: Guide }; item: HTMLElement; sweep: SweepPoint[] } | undefined;
  let digits: GalleryDigits | undefined;
  let asked = INSPECT_BASE;

  const chosen = (item: HTMLElement): HTMLInputElement | null => item.querySelector<HTMLInputElement>('input[type="radio"]:checked');
  const part = (item: HTMLElement, key: string) => need<HTMLElement>(item, `[data-guide-${key}]`);

  const conclude = (evidence: Evidence): void => {
    if (!active) return;
    const { experiment, item } = active;
    const guide = experiment.guide;
    const verdict = judge(guide.claim, { normName: TWIN_NORM_SHORT[host.config().norm], ...evidence });
    const prediction = chosen(item);
    const predicted = guide.choices.find((c) => c.id === prediction?.value);
    const expected = guide.choices.find((c) => c.id === guide.expected)!;
    const result = part(item, 'result');
    result.hidden = false;
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

  const onChange = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const item = input.closest<HTMLElement>('[data-guide]');
    if (input.type === 'radio' && item) part(item, 'hint').textContent = 'Now run it.';
  };
  host.region.addEventListener('change', onChange);

  const refreshLinks = (): void => {
    for (const [id, item] of items) {
      const link = item.querySelector<HTMLAnchorElement>('[data-guide-link]');
      const experiment = EXPERIMENTS.find((e) => e.id === id);
      if (link && experiment) link.href = `${location.pathname}${guideLink(experiment, host.formConfig())}`;
    }
  };

  // A link to one experiment: bring it into view and put focus on its first choice.
  const openedId = opened.get(EXPERIMENT_PARAM);
  const openedItem = openedId ? items.get(openedId) : undefined;
  refreshLinks();
  if (openedItem) {
    openedItem.scrollIntoView({ block: 'start' });
    openedItem.querySelector<HTMLInputElement>('input[type="radio"]')?.focus({ preventScroll: true });
  }

  return {
    ready(e) {
      const item = items.get(e.id);
      if (!e.guide || !item || chosen(item)) return true;
      part(item, 'hint').textContent = 'Choose your prediction first: which answer do you expect?';
      item.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
      return false;
    },
    begin(e) {
      active = undefined;
      const item = items.get(e.id);
      if (!e.guide || !item) return;
      part(item, 'hint').textContent = 'Running…';
      part(item, 'result').hidden = true;
      item.dataset.state = 'running';
      delete item.dataset.holds;
      active = { experiment: { ...e, guide: e.guide }, item, sweep: [] };
    },
    abandon() {
      if (active) {
        part(active.item, 'hint').textContent = 'Stopped: another run started. Run it again to see its verdict.';
        delete active.item.dataset.state;
      }
      active = undefined;
    },
    hear(m) {
      if (m.type === 'ready') digits = m.digits;
      if (!active) return;
      const guide = active.experiment.guide;
      if (m.type === 'sweep-point') active.sweep.push(m.point);
      else if (m.type === 'sweep-done') {
        part(active.item, 'hint').textContent = m.cancelled ? 'Cancelled.' : 'Done.';
        if (m.cancelled) active = undefined;
        else conclude({ sweep: active.sweep });
      } else if (m.type === 'state' && m.state === 'finished') {
        part(active.item, 'hint').textContent = 'Done.';
        const k = guide.inspectDigit;
        if (k === undefined) conclude({ curves: host.history(), steps: host.config().steps });
        else if (digits) {
          asked += 1;
          const pixels = Float32Array.from(digits.pixels.subarray(k * 784, (k + 1) * 784), (v) => v / 255);
          host.send({ type: 'inspect', id: asked, pixels, layer: 0 });
        }
      } else if (m.type === 'inspection' && m.id === asked && guide.inspectDigit !== undefined && digits) {
        conclude({ digit: { predictions: m.predictions, label: digits.labels[guide.inspectDigit]! } });
      }
    },
    refreshLinks,
  };
}
