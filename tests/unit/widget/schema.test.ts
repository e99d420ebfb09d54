import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineSchema, nextSeed, readValue, stateFromParams, stateToParams } from '../../../src/lib/widget/schema';
import { WIDGET_SCHEMAS } from '../../../components/widgets';
import { folderOf, MOUNTED_FOLDERS } from '../../../src/lib/widget/mounts';

const schema = defineSchema({
  tag: 'bn-test',
  prefix: 't',
  params: {
    n: { kind: 'number', label: 'batch size', min: 2, max: 64, step: 1, default: 8, integer: true },
    c: { kind: 'choice', label: 'convention', options: [['a', 'A'], ['b', 'B']], default: 'a' },
    f: { kind: 'flag', label: 'Bessel', default: true },
    text: { kind: 'text', label: 'batch', default: '1, 2', check: (t) => (t.includes('x') ? 'no x' : null) },
    hidden: { kind: 'number', label: 'size', min: 0, max: 1, step: 'any', default: 0.5, url: false },
    seed: { kind: 'seed', default: 3 },
  },
});

describe('widget schema', () => {
  it('reads a link: valid values taken, each bad one named with its default kept', () => {
    const { state, problems } = stateFromParams(schema, { n: '12', c: 'z', f: '0', text: 'a\nb', hidden: '0.9', seed: '-1' });
    expect(state).toEqual({ n: 12, c: 'a', f: false, text: 'a b', hidden: 0.5, seed: 3 });
    expect(problems).toEqual(['Link parameter "c" must be one of a, b; using a.', 'Link parameter "seed" must be a whole number from 0 to 2147483647; using 3.']);
  });

  it('refuses what is not a plain in-range value', () => {
    for (const raw of ['', 'NaN', 'Infinity', '1e999', '2.5', '65', '0x10']) expect(readValue(schema.params.n, raw), raw).toHaveProperty('expected');
    expect(readValue(schema.params.f, 'yes')).toEqual({ expected: '1 or 0' });
    expect(readValue(schema.params.n, ' 16 ')).toEqual({ value: 16 });
  });

  it('writes every linked parameter and round-trips', () => {
    const state = { n: 4, c: 'b' as const, f: true, text: '3, 4', hidden: 0.1, seed: 9 };
    const params = stateToParams(schema, state);
    expect(params).toEqual({ n: '4', c: 'b', f: '1', text: '3, 4', seed: '9' });
    expect(stateFromParams(schema, params).state).toEqual({ ...state, hidden: 0.5 });
  });

  it('draws new seeds in range, never repeating the last or reaching 0', () => {
    let seed = 1;
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      seed = nextSeed(seed);
      expect(seed).toBeGreaterThan(0);
      expect(seed).toBeLessThan(2 ** 31);
      seen.add(seed);
    }
    expect(seen.size).toBe(1000);
  });

  it('every widget declares defaults its own bounds, options and checks accept', () => {
    for (const [folder, s] of Object.entries(WIDGET_SCHEMAS)) {
      expect(s.tag, folder).toMatch(/^bn-/);
      for (const [key, spec] of Object.entries(s.params)) {
        const raw = spec.kind === 'flag' ? (spec.default ? '1' : '0') : String(spec.default);
        const read = readValue(spec, raw);
        expect(read, `${folder}.${key}`).toEqual({ value: spec.default });
        if (spec.kind === 'text') expect(spec.check?.(spec.default) ?? null, `${folder}.${key}`).toBeNull();
      }
    }
  });

  it('the registry holds every widget folder with a schema, the lab excepted', () => {
    const folders = readdirSync('components', { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'lab' && readdirSync(`components/${d.name}`).includes('schema.ts'))
      .map((d) => d.name)
      .sort();
    expect(Object.keys(WIDGET_SCHEMAS).sort()).toEqual(folders);
    expect(folders.length).toBeGreaterThanOrEqual(19);
  });

  it("every widget's tag is bn-<folder>, its shell renders it in the widget frame, and the frame's table loads its mount.ts", () => {
    for (const [folder, s] of Object.entries(WIDGET_SCHEMAS)) {
      expect(s.tag, folder).toBe(`bn-${folder}`);
      expect(folderOf(s.tag)).toBe(folder);
      expect(MOUNTED_FOLDERS, folder).toContain(folder);
      const shell = readdirSync(`components/${folder}`).find((f) => f.endsWith('.astro'))!;
      const text = readFileSync(`components/${folder}/${shell}`, 'utf8');
      expect(text, shell).toContain('<WidgetFrame tag={schema.tag} ');
      // The frame's one script loads the implementation: a shell of its own would load it twice.
      expect(text, shell).not.toContain('<script');
    }
  });
});
