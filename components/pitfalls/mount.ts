import { cpuTf } from '../../src/lib/tf/cpu';
import { mountWidget } from '../../src/lib/widget/runtime';
import { DEMOS, placementValues, type DemoName } from './demos';
import { schema } from './schema';

export const mount = (root: HTMLElement) =>
  mountWidget(root, schema, async (ctx) => {
    const tf = await cpuTf();
    const name = root.dataset.demo ?? '';
    if (!Object.hasOwn(DEMOS, name)) throw new Error(`unknown demonstration "${name}"`);
    const demo = DEMOS[name as DemoName];
    const rows = ctx.el('[data-rows]');
    const button = ctx.el('[data-action="run"]');
    // BN before vs after the ReLU also as two histograms on one axis; Plot loads for this demo only.
    const drawPlacement = async (seed: number): Promise<void> => {
      const { LiveHistogram } = await import('../../src/lib/plot/histogram');
      const { plotWidth } = await import('../../src/lib/plot/mount');
      const { before, after } = placementValues(tf, seed);
      for (const [key, values, label, color] of [
        ['before', before, 'BN before ReLU: the next layer’s input', 'var(--nobn)'],
        ['after', after, 'BN after ReLU: the next layer’s input', 'var(--bn)'],
      ] as const) {
        const container = ctx.el(`[data-plot="${key}"]`);
        const histogram = (histograms[key] ??= new LiveHistogram(container));
        histogram.draw(values, { domain: [-2, 5], bins: 42, label, color, width: plotWidth(container, { min: 240 }), height: 150 });
      }
    };
    const histograms: Partial<Record<'before' | 'after', import('../../src/lib/plot/histogram').LiveHistogram>> = {};
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
        if (name === 'placement') void drawPlacement(state.runs);
        root.dataset.runs = String(state.runs);
        button.textContent = 'Run again with new random numbers';
      },
      actions: {
        run: () => ctx.set({ runs: ctx.state.runs + 1 }),
      },
    };
  });
