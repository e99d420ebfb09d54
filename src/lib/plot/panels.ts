import * as Plot from '@observablehq/plot';

/**
 * Two or more panels of one chart, one per value of a field: side by side where the column is
 * wide, stacked on a phone (side by side at 260 px each panel would be a sliver). Spread
 * `options` into the plot and add `facet` to each faceted mark's options; `labels` names the
 * stacked panels, whose facet axis is hidden to leave the width to the data.
 */
export function panels(width: number, field: string, names: string[], height: number) {
  const stacked = width < 480;
  return {
    options: stacked ? { height: height * names.length * 0.8, fy: { axis: null, domain: names } } : { height, fx: { label: null, domain: names } },
    facet: stacked ? { fy: field } : { fx: field },
    labels: stacked ? [Plot.text(names.map((n) => ({ [field]: n })), { fy: field, text: field, frameAnchor: 'top-right', dy: 4, fill: 'currentColor' })] : [],
  };
}
