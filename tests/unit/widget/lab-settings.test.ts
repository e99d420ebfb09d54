import { describe, expect, it } from 'vitest';
import { parseSettings, readSettingsForm, settingsToParams } from '../../../components/lab/settings';
import { controlStates } from '../../../components/lab/phases';
import { EXPERIMENTS } from '../../../components/lab/experiments';
import { LAB_DEFAULT_CONFIG, LEGACY_DEFAULT_PRESET, LINK_VERSION, PRESET_DEFAULTS } from '../../../src/lib/train/config';

describe('lab settings', () => {
  it("fills what a link leaves out with its preset's defaults", () => {
    const { settings, problems } = parseSettings({ preset: 'mlp', steps: '50' });
    expect(problems).toEqual([]);
    expect(settings.config).toMatchObject({ ...PRESET_DEFAULTS.mlp, preset: 'mlp', steps: 50 });
    expect(settings.backend).toBe('auto');
  });

  it('names every bad link value and keeps its default', () => {
    const { settings, problems } = parseSettings({ v: '2', lr: 'banana', batch: '0', opt: 'rmsprop' });
    expect(problems.map((p) => p.match(/"(\w+)"/)![1])).toEqual(['opt', 'lr', 'batch']);
    expect(settings.config).toMatchObject({ learningRate: LAB_DEFAULT_CONFIG.learningRate, batchSize: LAB_DEFAULT_CONFIG.batchSize, optimizer: LAB_DEFAULT_CONFIG.optimizer });
  });

  it('old links keep their meaning: a link without a version that names no network gets the old default network', () => {
    // Before v2 the default was the CNN with Adam 0.01 at batch 32, and the CNN's own defaults are still those.
    expect(LEGACY_DEFAULT_PRESET).toBe('cnn');
    expect(parseSettings({ seed: '2' }).settings.config).toMatchObject({ preset: 'cnn', optimizer: 'adam', learningRate: 0.01, batchSize: 32, steps: 200, seed: 2 });
    expect(parseSettings({ v: '2', seed: '2' }).settings.config).toMatchObject({ ...LAB_DEFAULT_CONFIG, seed: 2 });
    // No settings at all: today's defaults. Links the page writes carry every setting and the version.
    expect(parseSettings({}).settings.config).toEqual(LAB_DEFAULT_CONFIG);
    const written = settingsToParams(parseSettings({ seed: '2' }).settings);
    expect(written).toMatchObject({ v: String(LINK_VERSION), preset: 'cnn', opt: 'adam', lr: '0.01', batch: '32', steps: '200', seed: '2' });
    expect(parseSettings(written).settings.config).toEqual(parseSettings({ seed: '2' }).settings.config);
  });

  it('marks exactly the bad form fields and applies nothing', () => {
    const good = settingsToParams(parseSettings({}).settings);
    expect(readSettingsForm(good)).toHaveProperty('settings');
    const read = readSettingsForm({ ...good, steps: '0', backend: 'tpu' });
    expect('problems' in read && read.problems.map((p) => p.field)).toEqual(['backend', 'steps']);
  });
});

describe('lab phases', () => {
  it('enables each control only where it can act, and says why otherwise', () => {
    expect(controlStates('training', true)).toMatchObject({ start: 'Already training.', pause: null, export: 'Pause first.' });
    expect(controlStates('ready', false)).toMatchObject({ start: null, step: null, export: 'Train first: there is nothing to export yet.' });
    const sweeping = controlStates('sweeping', true);
    expect(sweeping['cancel-sweep']).toBeNull();
    expect(sweeping.start).toMatch(/sweep/);
  });
});

describe('lab experiments', () => {
  it('have unique ids and plans built from the form settings', () => {
    expect(new Set(EXPERIMENTS.map((e) => e.id)).size).toBe(EXPERIMENTS.length);
    for (const e of EXPERIMENTS) {
      const plan = e.plan(LAB_DEFAULT_CONFIG);
      expect(plan.config.seed, e.id).toBe(LAB_DEFAULT_CONFIG.seed);
      if (plan.kind === 'sweep') expect(plan.spec.values.length, e.id).toBeGreaterThan(1);
      // A guided experiment's expected answer is one of its choices.
      if (e.guide) expect(e.guide.choices.map((c) => c.id), e.id).toContain(e.guide.expected);
    }
  });
});
