import { cpuTf } from '../../src/lib/tf/cpu';
import { need } from '../../src/lib/widget/dom';
import type { Cleanup } from '../../src/lib/widget/lazy';
import { DEMOS, type DemoName } from './demos';

export async function mount(root: HTMLElement): Promise<Cleanup> {
  const tf = await cpuTf();
  const demo = DEMOS[root.dataset.demo as DemoName];
  if (!demo) throw new Error(`unknown demonstration "${root.dataset.demo}"`);
  const rows = need<HTMLElement>(root, '[data-rows]');
  const button = need<HTMLButtonElement>(root, '[data-action="run"]');
  let seed = 1;
  const run = (): void => {
    const result = demo(tf, seed);
    rows.replaceChildren(
      ...result.flatMap(([label, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = label;
        const dd = document.createElement('dd');
        dd.textContent = value;
        return [dt, dd];
      }),
    );
    root.dataset.runs = String(seed);
    seed += 1;
    button.textContent = 'Run again with new random numbers';
  };
  button.addEventListener('click', run);
  return () => button.removeEventListener('click', run);
}
