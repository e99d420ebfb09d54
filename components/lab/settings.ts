import { DEFAULT_CONFIG, PRESET_DEFAULTS, type BackendName, type RunConfig } from '../../src/lib/train/config';
import { ParamProblems, type Params } from '../../src/lib/state/url';

export interface LabSettings {
  config: RunConfig;
  backend: BackendName | 'auto';
  autostart: boolean;
}

const PRESETS = ['cnn', 'mlp'] as const;
const NORMS = ['bn', 'gn', 'noisy-bn', 'unused-bn'] as const;
const PLACEMENTS = ['before', 'after'] as const;
const CONVENTIONS = ['pytorch', 'keras'] as const;
const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
const BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

export const LIMITS = {
  lr: { min: 1e-5, max: 10 },
  batch: { min: 2, max: 512, integer: true },
  steps: { min: 1, max: 20000, integer: true },
  seed: { min: 0, max: 1_000_000, integer: true },
} as const;

/**
 * Reads settings from name→value pairs (the URL's `?preset=cnn&lr=0.01…` or the form). Bad values
 * are reported and replaced by defaults, never passed on.
 */
export function parseSettings(params: Params): { settings: LabSettings; problems: string[] } {
  const p = new ParamProblems();
  const preset = p.choice(params, 'preset', PRESETS, DEFAULT_CONFIG.preset);
  const base = { ...DEFAULT_CONFIG, ...PRESET_DEFAULTS[preset] };
  const config: RunConfig = {
    ...base,
    preset,
    norm: p.choice(params, 'norm', NORMS, base.norm),
    placement: p.choice(params, 'placement', PLACEMENTS, base.placement),
    convention: p.choice(params, 'convention', CONVENTIONS, base.convention),
    optimizer: p.choice(params, 'opt', OPTIMIZERS, base.optimizer),
    learningRate: p.number(params, 'lr', LIMITS.lr, base.learningRate),
    batchSize: p.number(params, 'batch', LIMITS.batch, base.batchSize),
    steps: p.number(params, 'steps', LIMITS.steps, base.steps),
    seed: p.number(params, 'seed', LIMITS.seed, base.seed),
  };
  const backend = p.choice(params, 'backend', BACKENDS, 'auto');
  const autostart = params.autostart === '1' || params.autostart === 'true';
  return { settings: { config, backend, autostart }, problems: p.messages };
}

/** The URL form of the settings (the lab owns the page's query, so its names are unprefixed). */
export function settingsToParams(s: LabSettings): Params {
  const c = s.config;
  return {
    preset: c.preset,
    norm: c.norm,
    placement: c.placement,
    convention: c.convention,
    opt: c.optimizer,
    lr: String(c.learningRate),
    batch: String(c.batchSize),
    steps: String(c.steps),
    seed: String(c.seed),
    backend: s.backend,
  };
}
