import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runGoldenCase, type GoldenCase } from '../../golden/runner';
import { useCpu } from './setup';

beforeAll(useCpu);

const load = (file: string) => JSON.parse(readFileSync(new URL(`../../../../shared/golden/${file}`, import.meta.url), 'utf8')) as GoldenCase;
const real = load('bn1d_train_small.json');
const gn = load('group_norm_2d.json');

describe('golden case runner', () => {
  it('passes a real PyTorch case', () => {
    expect(runGoldenCase(real).ok).toBe(true);
  });
  it('fails a case with an unknown op instead of skipping it', () => {
    const r = runGoldenCase({ ...real, op: 'mystery_norm' });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/unknown op "mystery_norm"/);
  });
  it('fails params, inputs and fields it does not understand', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...gn, params: { ...gn.params, affine: 'elementwise over C, H, W' } }, /params.affine must start with "per-channel"/],
      [{ ...real, params: { ...real.params, affine: false } }, /unknown param "affine" for batch_norm/],
      [{ ...real, params: { ...real.params, weight_decay: 0.1 } }, /unknown param "weight_decay"/],
      [{ ...real, params: { ...real.params, momentum_convention: 'mxnet' } }, /momentum_convention must start with "pytorch" or "keras"/],
      [{ ...real, inputs: { ...real.inputs, mask: real.inputs.x! } }, /unknown input "mask"/],
      [{ ...real, inputs: { ...real.inputs, dy: undefined } }, /missing input "dy"/],
      [{ ...real, skip: true }, /unknown top-level field "skip"/],
      [{ ...real, layout: 'NCHW' }, /layout "NCHW" is not supported/],
      [{ ...real, expected: {} }, /no expected fields/],
      [[1, 2], /must be a JSON object/],
      [null, /must be a JSON object/],
    ];
    for (const [c, reason] of cases) {
      const r = runGoldenCase(JSON.parse(JSON.stringify(c)) as unknown);
      expect(r.ok).toBe(false);
      expect(r.reason).toMatch(reason);
    }
  });

  it('fails a case with an expected field it does not compute', () => {
    const r = runGoldenCase({ ...real, expected: { ...real.expected, running_skew: real.expected.y! } });
    expect(r.ok).toBe(false);
  });
  it('fails when a value is off by more than the tolerance', () => {
    const y = { ...real.expected.y!, data: real.expected.y!.data.map((v, i) => (i === 0 ? v + 1e-2 : v)) };
    const r = runGoldenCase({ ...real, expected: { ...real.expected, y } });
    expect(r.ok).toBe(false);
    expect(r.fields.find((f) => f.field === 'y')?.reason).toMatch(/index 0: got .*, want/);
  });
});
