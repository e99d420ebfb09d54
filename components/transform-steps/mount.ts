import { cpuTf } from '../../src/lib/tf/cpu';
import { normal, seededRng } from '../../src/lib/data/random';
import { markScrollable } from '../../src/lib/site/scrollable';
import { formatList, formatNumber } from '../../src/lib/widget/dom';
import { mountWidget } from '../../src/lib/widget/runtime';
import { nextSeed } from '../../src/lib/widget/schema';
import { computeSteps } from './compute';
import { stepFormulas, WIDE } from './formulas';
import { schema, stepInputs } from './schema';

const STEP_FIELDS = ['values', 'gamma', 'beta', 'eps'] as const;
const RECIPE = ['rsize', 'rmean', 'rspread'] as const;

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const [tf, { default: katex }] = await Promise.all([cpuTf(), import('katex')]);
    const stepsList = ctx.el<HTMLOListElement>('[data-steps]');
    const check = ctx.el('[data-check]');
    const control = (name: string) => ctx.el<HTMLInputElement>(`[name="${name}"]`);

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
    // A phone turned sideways has room for longer lines. Only a change in the line length needs
    // the (tfjs + mathjs) steps again, so this is not the runtime's redraw-on-every-resize.
    const resize = new ResizeObserver(() => {
      if (lineDigits() !== laidOutFor) ctx.redraw();
    });
    resize.observe(stepsList);

    // `data-valid` says whether the step fields as typed give a result. The runtime draws only
    // input that passes the fields' checks, so typing that fails them is seen here.
    const markValidity = (): void => {
      root.dataset.valid = String(STEP_FIELDS.every((k) => schema.params[k].check(control(k).value) === null));
    };
    markValidity();
    root.addEventListener('input', markValidity);

    return {
      draw(state) {
        root.dataset.valid = 'false';
        const { x, gamma, beta, eps } = stepInputs(state);
        const steps = computeSteps(tf, x, gamma, beta, eps);
        laidOutFor = lineDigits();
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
        ctx.out('mean').textContent = formatNumber(steps.float.mean);
        ctx.out('variance').textContent = formatNumber(steps.float.varianceBiased);
        ctx.out('unbiased').textContent = formatNumber(steps.float.varianceUnbiased);
        ctx.out('normalized').textContent = formatList(steps.float.normalized);
        ctx.out('output').textContent = formatList(steps.float.output);
        check.textContent = `tfjs (float32) and mathjs (exact decimals) agree within ${formatNumber(steps.maxDifference, 2)}.`;
        root.dataset.valid = 'true';
      },
      actions: {
        random() {
          // A batch from the last good recipe would not be what the fields say; the runtime
          // already shows what is wrong with them.
          if (RECIPE.some((k) => control(k).getAttribute('aria-invalid') === 'true')) return;
          const seed = nextSeed(ctx.state.seed);
          const rng = seededRng(seed);
          const { rsize, rmean, rspread } = ctx.state;
          // Three decimals keep the batch exact as typed, so the mathjs trace stays exact too.
          ctx.set({ seed, values: Array.from({ length: rsize }, () => (rmean + rspread * normal(rng)).toFixed(3)).join(', ') });
        },
      },
      dispose() {
        resize.disconnect();
        root.removeEventListener('input', markValidity);
      },
    };
  });
