import { expect } from './fixtures';

/** What the lab's backend probe leaves in `data-probe` (components/lab/probe.ts). */
export interface ProbeResult {
  chosen: string;
  outcomes: Array<{ backend: string; examplesPerSecond: number | null; note?: string }>;
}

/**
 * The probe chose the backend it measured fastest; when a busy machine let none finish in its
 * budget, it chose WASM (which always starts here).
 */
export const expectFastestChosen = (probe: ProbeResult): void => {
  const measured = probe.outcomes.filter((o) => o.examplesPerSecond !== null);
  if (measured.length === 0) return expect(probe.chosen, JSON.stringify(probe.outcomes)).toBe('wasm');
  const fastest = measured.reduce((a, b) => (b.examplesPerSecond! > a.examplesPerSecond! ? b : a));
  expect(probe.chosen, JSON.stringify(probe.outcomes)).toBe(fastest.backend);
};
