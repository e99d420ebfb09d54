import * as Plot from '@observablehq/plot';
import { plainTick } from './mount';

/*
 * Axes on log scales that label every tick they are given. Given as scale options, a log scale's
 * labels go through d3's log tickFormat, which blanks ticks whose leading digit is large for the
 * tick density (8 and 64 among 2…256, 0.5 and 5 among 0.01…5, everything from 0.3 up on a
 * 0.005…0.7 axis); an axis mark's own text channel is drawn as given. An axis mark replaces
 * Plot's implicit axis for its scale, grid included.
 */

type Format = { format?: (value: number) => string };

export function logAxisX(ticks: readonly number[], options: Plot.AxisXOptions & Format): Plot.CompoundMark {
  const { format = plainTick, ...axis } = options;
  return Plot.axisX([...ticks], { ...axis, text: (value: number) => format(value) });
}

/** A y axis with its grid at the given ticks (see oneTwoFive). */
export function logAxisY(ticks: readonly number[], options: Plot.AxisYOptions & Format): Plot.Markish[] {
  const { format = plainTick, ...axis } = options;
  return [Plot.gridY([...ticks]), Plot.axisY([...ticks], { ...axis, text: (value: number) => format(value) })];
}

/** The 1, 2, 5 × 10ᵏ values from min to max: a log axis's usual labelled ticks. */
export function oneTwoFive(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)); exponent++) {
    for (const mantissa of [1, 2, 5]) {
      const value = Number((mantissa * 10 ** exponent).toPrecision(12));
      if (value >= min && value <= max) ticks.push(value);
    }
  }
  return ticks;
}
