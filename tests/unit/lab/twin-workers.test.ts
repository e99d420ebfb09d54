import { describe, expect, it } from 'vitest';
import { twinWorkers } from '../../../components/lab/client';

describe('twinWorkers', () => {
  it('gives each twin a worker of its own with two or more logical cores, one worker otherwise', () => {
    expect(twinWorkers('?preset=cnn', 2)).toBe(2);
    expect(twinWorkers('', 16)).toBe(2);
    expect(twinWorkers('', 1)).toBe(1);
    expect(twinWorkers('', undefined)).toBe(1);
  });
  it("follows the link's workers=1 or workers=2, and ignores any other value", () => {
    expect(twinWorkers('?workers=1', 8)).toBe(1);
    expect(twinWorkers('?workers=2', 1)).toBe(2);
    expect(twinWorkers('?workers=3', 1)).toBe(1);
  });
});
