import { describe, expect, it } from 'vitest';
import { checkNumeric, defaultTolerance, verdictMessage } from '../../../src/lib/site/numeric-answer';

describe('checkNumeric', () => {
  it('accepts an answer within the tolerance either side', () => {
    expect(checkNumeric('0.956', 0.956, 0.01).kind).toBe('right');
    expect(checkNumeric(' 0.95 ', 0.956, 0.01).kind).toBe('right');
    expect(checkNumeric('0.965', 0.956, 0.01).kind).toBe('right');
  });
  it('says which side a wrong answer is on', () => {
    expect(checkNumeric('0.9', 0.956, 0.01)).toEqual({ kind: 'too-low', value: 0.9 });
    expect(checkNumeric('1', 0.956, 0.01)).toEqual({ kind: 'too-high', value: 1 });
  });
  it('reads exponents, a leading sign, the Unicode minus and a decimal comma', () => {
    expect(checkNumeric('2.19e-4', 2.19e-4, 1e-6).kind).toBe('right');
    expect(checkNumeric('\u22121.5', -1.5, 0.01).kind).toBe('right');
    expect(checkNumeric('+.5', 0.5, 0.01).kind).toBe('right');
    expect(checkNumeric('0,956', 0.956, 0.01).kind).toBe('right');
  });
  it('refuses what is not a number', () => {
    for (const typed of ['', 'abc', '1/2', '0.9.5', 'Infinity', '1e999', '12 %']) expect(checkNumeric(typed, 1, 0.1).kind, typed).toBe('invalid');
  });
  it('defaults to 1% of the answer, and to a hair for an answer of 0', () => {
    expect(defaultTolerance(0.956)).toBeCloseTo(0.00956, 12);
    expect(defaultTolerance(-200)).toBe(2);
    expect(defaultTolerance(0)).toBe(1e-9);
  });
  it('words each verdict', () => {
    expect(verdictMessage({ kind: 'invalid' })).toMatch(/not a number/);
    expect(verdictMessage({ kind: 'right', value: 3 })).toMatch(/^Right: 3/);
    expect(verdictMessage({ kind: 'too-low', value: 2 })).toMatch(/too low/);
    expect(verdictMessage({ kind: 'too-high', value: 4 })).toMatch(/too high/);
  });
});
