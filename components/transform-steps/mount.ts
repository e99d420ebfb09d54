import { cpuTf } from '../../src/lib/tf/cpu';
import { seededRng, normal } from '../../src/lib/data/random';
import { readParams, writeParams, fieldText } from '../../src/lib/state/url';
import { formatList, formatNumber, frameScheduler, inputNamed, need, setFieldError } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';
import { computeSteps, parseFields, type StepFields } from './compute';
import { stepFormulas, WIDE } from './formulas';
import { markScrollable } from '../../src/lib/site/scrollable';

const FIELDS = ['values', 'gamma', 'beta', 'eps'] as const;

export async function mount(root: HTMLElement): Promise<Cleanup> {
  const [tf, { default: katex }] = await Promise.all([cpuTf(), import('katex')]);
  const prefix = root.dataset.prefix ?? 't';
  const inputs = Object.fromEntries(FIELDS.map((f) => [f, inputNamed(root, f)])) as Record<keyof StepFields, HTMLInputElement>;
  const errorOf = (f: keyof StepFields) => need<HTMLElement>(root, `[data-error-for="${f}"]`);
  const alert = need<HTMLElement>(root, '[data-widget-error]');
  const stepsList = need<HTMLOListElement>(root, '[data-steps]');
  const out = (key: string) => need<HTMLOutputElement>(root, `[data-out="${key}"]`);
  const check = need<HTMLElement>(root, '[data-check]');

  // A shared link restores the fields; they then go through the same validation as typing.
  const params = readParams(prefix);
  for (const f of FIELDS) {
    const v = params[f];
    if (v !== undefined) inputs[f].value = fieldText(v);
  }

  /**
   * Digits that fit on a line of the steps: a digit is 0.5em of the math's font size (which the
   * stylesheet makes smaller on phones); six digit widths go to the column left of the = signs.
   */
  const lineDigits = (): number => {
    const math = stepsList.querySelector('.katex');
    const digit = Number.parseFloat(getComputedStyle(math ?? stepsList).fontSize) * (math ? 1 : 1.21) * 0.5;
    return stepsList.clientWidth > 0 && digit > 0 ? Math.max(16, Math.min(WIDE, Math.floor(stepsList.clientWidth / digit) - 6)) : WIDE;
  };
  let laidOutFor = lineDigits();

  const update = (): void => {
    const fields = Object.fromEntries(FIELDS.map((f) => [f, inputs[f].value])) as unknown as StepFields;
    const parsed = parseFields(fields);
    for (const f of FIELDS) setFieldError(inputs[f], errorOf(f), 'errors' in parsed ? (parsed.errors[f] ?? null) : null);
    if ('errors' in parsed) {
      // Keep the last good result on screen; say so once, for screen readers, in the alert region.
      alert.textContent = `Not updated: ${Object.values(parsed.errors).join(' ')} The result below is from the last valid input.`;
      root.dataset.valid = 'false';
      return;
    }
    alert.textContent = '';
    root.dataset.valid = 'true';
    const steps = computeSteps(tf, parsed.x, parsed.gamma, parsed.beta, parsed.eps);
    stepsList.replaceChildren(
      ...stepFormulas(steps.exact, laidOutFor).map((f) => {
        const li = document.createElement('li');
        li.dataset.step = f.key;
        const title = document.createElement('span');
        title.className = 'step-title';
        title.textContent = f.title;
        const math = document.createElement('div');
        katex.render(f.tex, math, { displayMode: true });
        li.append(title, math);
        return li;
      }),
    );
    markScrollable(stepsList);
    out('mean').textContent = formatNumber(steps.float.mean);
    out('variance').textContent = formatNumber(steps.float.varianceBiased);
    out('unbiased').textContent = formatNumber(steps.float.varianceUnbiased);
    out('normalized').textContent = formatList(steps.float.normalized);
    out('output').textContent = formatList(steps.float.output);
    check.textContent = `tfjs (float32) and mathjs (exact decimals) agree within ${formatNumber(steps.maxDifference, 2)}.`;
    writeParams(prefix, fields as unknown as Record<string, string>);
  };

  const frame = frameScheduler(update);
  const onInput = (event: Event): void => {
    if (FIELDS.includes((event.target as HTMLInputElement).name as (typeof FIELDS)[number])) frame.schedule();
  };
  const onClick = (event: Event): void => {
    if (!(event.target as HTMLElement).closest('[data-action="random"]')) return;
    const size = Math.round(Number(inputNamed(root, 'rsize').value));
    const mean = Number(inputNamed(root, 'rmean').value);
    const spread = Number(inputNamed(root, 'rspread').value);
    if (!(size >= 2 && size <= 4096) || !Number.isFinite(mean) || !(spread >= 0 && Number.isFinite(spread))) {
      alert.textContent = 'Random batch needs a size from 2 to 4096, a finite mean and a spread of 0 or more.';
      return;
    }
    const rng = seededRng((Math.random() * 2 ** 31) >>> 0);
    // Three decimals keep the batch exact as typed, so the mathjs trace stays exact too.
    inputs.values.value = Array.from({ length: size }, () => (mean + spread * normal(rng)).toFixed(3)).join(', ');
    frame.schedule();
  };
  // A phone turned sideways has room for longer lines: lay the formulas out again.
  const resize = new ResizeObserver(() => {
    const digits = lineDigits();
    if (digits === laidOutFor) return;
    laidOutFor = digits;
    frame.schedule();
  });
  root.addEventListener('input', onInput);
  root.addEventListener('click', onClick);
  resize.observe(stepsList);
  update();
  return () => {
    frame.cancel();
    resize.disconnect();
    root.removeEventListener('input', onInput);
    root.removeEventListener('click', onClick);
  };
}
