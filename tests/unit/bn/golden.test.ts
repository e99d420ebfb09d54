import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runGoldenCase, type GoldenCase } from '../../../src/lib/bn/golden';
import { useCpu } from './setup';

beforeAll(useCpu);

const real = JSON.parse(readFileSync(new URL('../../../../shared/golden/bn1d_train_small.json', import.meta.url), 'utf8')) as GoldenCase;

describe('golden case runner', () => {
  it('passes a real PyTorch case', () => {
    expect(runGoldenCase(real).ok).toBe(true);
  });
  it('fails a case with an unknown op instead of skipping it', () => {
    const r = runGoldenCase({ ...real, op: 'mystery_norm' });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/unknown op "mystery_norm"/);
  });
  it('fails a case with an expected field it does not compute', () => {
    const r = runGoldenCase({ ...real, expected: { ...real.expected, running_skew: real.expected.y! } });
    expect(r.ok).toBe(false);
  });
  it('fails when a value is off by more than the tolerance', () => {
    const y = { ...real.expected.y!, data: real.expected.y!.data.map((v, i) => (i === 0 ? v + 1e-2 : v)) };
    expect(runGoldenCase({ ...real, expected: { ...real.expected, y } }).ok).toBe(false);
  });
});
