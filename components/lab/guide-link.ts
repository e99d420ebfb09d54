import type { RunConfig } from '../../src/lib/train/config';
import type { Experiment } from './experiments';
import { settingsToParams } from './settings';

/** The link parameter that opens the lab at a guided experiment. */
export const EXPERIMENT_PARAM = 'experiment';

/**
 * A link to a guided experiment: every setting its run uses (with the link version, so later
 * default changes leave it alone), the experiment's id, and its place on the page. The backend
 * stays "best available": the reader who opens it trains on their own fastest.
 */
export function guideLink(e: Experiment, form: RunConfig): string {
  const params = new URLSearchParams({ ...settingsToParams({ config: e.plan(form).config, backend: 'auto', autostart: false }), [EXPERIMENT_PARAM]: e.id });
  return `?${params}#guide-${e.id}`;
}
