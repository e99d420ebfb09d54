/**
 * The lab's run settings as a widget schema: the form (Lab.astro) renders from it and the link
 * (`/lab/?preset=cnn&lr=0.01…`, the lab owns the whole query) is read and written with it. The
 * options, bounds and defaults come from src/lib/train/config.ts.
 */
import { BACKEND_CHOICES, CONVENTION_OPTIONS, DEFAULT_CONFIG, LAB_DEFAULT_PRESET, LIMITS, OPTIMIZERS, PLACEMENTS, PRESET_DEFAULTS, PRESETS, TWIN_NORMS, type Preset } from '../../src/lib/train/config';
import { defineSchema } from '../../src/lib/widget/schema';

const settingsSchema = (preset: Preset) => {
  const base = { ...DEFAULT_CONFIG, ...PRESET_DEFAULTS[preset] };
  return defineSchema({
    tag: 'bn-lab',
    prefix: '',
    params: {
      preset: { kind: 'choice', label: 'Network', options: PRESETS, default: preset },
      norm: { kind: 'choice', label: 'Normalized twin uses', options: TWIN_NORMS, default: base.norm },
      placement: { kind: 'choice', label: 'Normalization', options: PLACEMENTS, default: base.placement },
      convention: { kind: 'choice', label: 'Running averages', options: CONVENTION_OPTIONS, default: base.convention },
      opt: { kind: 'choice', label: 'Optimizer', options: OPTIMIZERS, default: base.optimizer },
      backend: { kind: 'choice', label: 'Backend', options: BACKEND_CHOICES, default: 'auto' },
      lr: { kind: 'number', label: 'Learning rate', ...LIMITS.learningRate, step: 'any', default: base.learningRate },
      batch: { kind: 'number', label: 'Batch size', ...LIMITS.batchSize, step: 1, default: base.batchSize },
      steps: { kind: 'number', label: 'Steps', ...LIMITS.steps, step: 1, default: base.steps },
      seed: { kind: 'number', label: 'Seed', ...LIMITS.seed, step: 1, default: base.seed },
    },
  });
};

/** The schema with the default network's defaults (the form's initial values). */
export const schema = settingsSchema(LAB_DEFAULT_PRESET);
/** Each preset's defaults differ (the paper's MLP trains with SGD at batch 60, the CNN with Adam at batch 32). */
export const schemaFor = (preset: Preset) => (preset === LAB_DEFAULT_PRESET ? schema : settingsSchema(preset));
export type LabParams = typeof schema.params;
