/** Small typed DOM helpers shared by widget implementations. */

export function need<T extends Element>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`widget markup is missing ${selector}`);
  return el;
}

/** Coalesces bursts of input events (slider drags) into one update per animation frame. */
export function frameScheduler(run: () => void): { schedule: () => void; cancel: () => void } {
  let handle = 0;
  return {
    schedule() {
      if (!handle) handle = requestAnimationFrame(() => {
        handle = 0;
        run();
      });
    },
    cancel() {
      cancelAnimationFrame(handle);
      handle = 0;
    },
  };
}

/** Formats with at least 7 significant digits, without trailing noise like 2.500000. */
export function formatNumber(value: number, digits = 7): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  return String(Number(value.toPrecision(digits)));
}

/** A fraction as a percentage with one decimal: 0.9591 → "95.9%". */
export const formatPercent = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;

export const formatList = (values: ArrayLike<number>, digits = 7): string =>
  Array.from(values, (v) => formatNumber(v, digits)).join(', ');
