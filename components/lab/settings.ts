import { DEFAULT_CONFIG, LEGACY_DEFAULT_PRESET, LINK_VERSION, PRESETS, type BackendChoice, type RunConfig } from '../../src/lib/train/config';
import { paramsIn, writeParams, type Params } from '../../src/lib/state/url';
import { readValue, stateFromParams, stateToParams, type State } from '../../src/lib/widget/schema';
import { schema, schemaFor, type LabParams } from './schema';

export interface LabSettings {
  config: RunConfig;
  backend: BackendChoice;
  autostart: boolean;
}

const toSettings = (s: State<LabParams>, autostart: boolean): LabSettings => ({
  config: {
    ...DEFAULT_CONFIG,
    preset: s.preset,
    norm: s.norm,
    placement: s.placement,
    convention: s.convention,
    optimizer: s.opt,
    learningRate: s.lr,
    batchSize: s.batch,
    steps: s.steps,
    seed: s.seed,
  },
  backend: s.backend,
  autostart,
});

/**
 * Reads settings from a link's name→value pairs. The preset is read first, because its defaults
 * fill what the link leaves out; a link with settings but no version (`v`) is from before the
 * default network changed and, naming none, means the one of its time. Bad values are reported
 * and replaced by defaults, never passed on.
 */
export function parseSettings(params: Params): { settings: LabSettings; problems: string[] } {
  const preset = readValue(schema.params.preset, params.preset ?? '');
  const legacy = params.v === undefined && Object.keys(params).some((k) => k in schema.params);
  const chosen = 'value' in preset ? (preset.value as (typeof PRESETS)[number][0]) : legacy ? LEGACY_DEFAULT_PRESET : schema.params.preset.default;
  const { state, problems } = stateFromParams(schemaFor(chosen), params);
  const autostart = params.autostart === '1' || params.autostart === 'true';
  return { settings: toSettings(state, autostart), problems };
}

/**
 * Reads the form's fields. Each bad field is named with what it must be, so the page can mark
 * exactly that field; nothing is applied while any is bad.
 */
export function readSettingsForm(values: Params): { settings: LabSettings } | { problems: Array<{ field: keyof LabParams; message: string }> } {
  const problems: Array<{ field: keyof LabParams; message: string }> = [];
  for (const [field, spec] of Object.entries(schema.params) as Array<[keyof LabParams, LabParams[keyof LabParams]]>) {
    const read = readValue(spec, values[field] ?? '');
    if ('expected' in read) problems.push({ field, message: `${spec.label} must be ${read.expected}.` });
  }
  if (problems.length) return { problems };
  return { settings: toSettings(stateFromParams(schema, values).state, false) };
}

/** The settings in the page's link (the lab owns the whole query). */
export const settingsFromLink = (): { settings: LabSettings; problems: string[] } => parseSettings(paramsIn(location.search, ''));

/** Puts the settings in the page's link, so it reproduces the run. */
export const writeSettingsLink = (s: LabSettings): void => writeParams('', settingsToParams(s));

/** The link form of the settings: every setting, and the link version that says which defaults it was written under. */
export function settingsToParams(s: LabSettings): Params {
  const c = s.config;
  return { ...stateToParams(schema, { preset: c.preset, norm: c.norm, placement: c.placement, convention: c.convention, opt: c.optimizer, backend: s.backend, lr: c.learningRate, batch: c.batchSize, steps: c.steps, seed: c.seed }), v: String(LINK_VERSION) };
}
