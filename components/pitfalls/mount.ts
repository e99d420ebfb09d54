import { cpuTf } from '../../src/lib/tf/cpu';
import { mountWidget } from '../../src/lib/widget/runtime';
import { DEMOS, type DemoName } from './demos';
import { schema } from './schema';

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const name = root.dataset.demo ?? '';
    if (!Object.hasOwn(DEMOS, name)) throw new Error(`unknown demonstration "${name}"`);
    const demo = DEMOS[name as DemoName];
    const rows = ctx.el('[data-rows]');
    const button = ctx.el('[data-action="run"]');
    return {
      // A demonstration shows nothing until the reader runs it.
      drawOnMount: false,
      draw(state) {
        // The run's number seeds its random numbers: each run draws new ones, and run n the same ones.
        const result = demo(tf, state.runs);
        rows.replaceChildren(
          ...result.flatMap(([label, value]) => {
            const dt = document.createElement('dt');
            dt.textContent = label;
            const dd = document.createElement('dd');
            dd.textContent = value;
            return [dt, dd];
          }),
        );
        root.dataset.runs = String(state.runs);
        button.textContent = 'Run again with new random numbers';
      },
      actions: {
        run: () => ctx.set({ runs: ctx.state.runs + 1 }),
      },
    };
  });
